/** A monotonic clock in milliseconds since its own start; injectable so schedules can be tested. */
import { performance } from 'node:perf_hooks';

export interface Clock {
  /** Milliseconds since the clock started (monotonic, fractional). */
  now(): number;
  /** Wall-clock time (epoch ms) at which now() was 0, for reports. */
  readonly startedAtEpochMs: number;
  /** The start as performance.timeOrigin + performance.now(), so another thread can share this clock. */
  readonly origin: number;
}

export function monotonicClock(): Clock {
  return sharedClock(performance.timeOrigin + performance.now(), Date.now());
}

/**
 * The same clock in another thread: each worker has its own performance.timeOrigin, so times are
 * taken relative to the absolute origin both agree on.
 */
export function sharedClock(origin: number, startedAtEpochMs: number): Clock {
  const offset = origin - performance.timeOrigin;
  return { now: () => performance.now() - offset, startedAtEpochMs, origin };
}
