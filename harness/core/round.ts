/** Rounds ms (or any float) to microseconds, so evidence shows 0.3 rather than 0.30000000000000004. */
export function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}
