/**
 * Go's `time.Duration(n) * unit`: int64 nanoseconds that wrap around on overflow, so a latency of
 * 10000000000000 ms is a negative duration (no delay at all) in Toxiproxy, and 2^53 ms is ~164 years.
 */
export const MILLISECOND = 1_000_000n;
export const MICROSECOND = 1_000n;

/** The wrapped duration, in (fractional) milliseconds. */
export function goDurationMs(n: bigint, unit: bigint): number {
  return Number(BigInt.asIntN(64, n * unit)) / 1e6;
}
