/**
 * Fires operations at their intended times, whatever happens to earlier ones (open loop). A timer
 * that wakes late fires every arrival that came due, each keeping its own intended time, so a stall
 * shows up as latency instead of silently thinning the schedule. Above the in-flight cap an arrival
 * is dropped and reported as such, never skipped.
 */
import type { Clock } from '../core/clock.ts';
import type { Arrivals } from './arrivals.ts';

export interface OpenLoopOptions {
  clock: Clock;
  maxInFlight: number;
  signal?: AbortSignal;
  /** Starts one operation; resolves when it is done. */
  start(intendedAt: number): Promise<void>;
  /** An arrival that could not start because maxInFlight operations were running. */
  drop(intendedAt: number): void;
}

/** Resolves when every arrival has fired and every started operation has finished. */
export function runOpenLoop(arrivals: Arrivals, options: OpenLoopOptions): Promise<void> {
  const { clock, maxInFlight, signal } = options;
  let inFlight = 0;
  let scheduled = true;
  let settle: () => void = () => undefined;
  const finished = new Promise<void>((resolve) => {
    settle = resolve;
  });
  const maybeDone = () => {
    if (!scheduled && inFlight === 0) settle();
  };
  let next = arrivals.next();
  const tick = () => {
    const now = clock.now();
    while (!next.done && next.value <= now && !signal?.aborted) {
      const intendedAt = next.value;
      if (inFlight >= maxInFlight) {
        options.drop(intendedAt);
      } else {
        inFlight++;
        options.start(intendedAt).finally(() => {
          inFlight--;
          maybeDone();
        });
      }
      next = arrivals.next();
    }
    if (next.done || signal?.aborted) {
      scheduled = false;
      maybeDone();
      return;
    }
    setTimeout(tick, Math.max(0, next.value - clock.now()));
  };
  tick();
  return finished;
}
