/** A monotonic clock in milliseconds since its own start; injectable so schedules can be tested. */
import { performance } from 'node:perf_hooks';

export interface Clock {
  /** Milliseconds since the clock started (monotonic, fractional). */
  now(): number;
  /** Wall-clock time (epoch ms) at which now() was 0, for reports. */
  readonly startedAtEpochMs: number;
}

export function monotonicClock(): Clock {
  const origin = performance.now();
  return { now: () => performance.now() - origin, startedAtEpochMs: Date.now() };
}
