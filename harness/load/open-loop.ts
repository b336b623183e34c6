/**
 * Fires operations at their intended times, whatever happens to earlier ones (open loop). A timer
 * that wakes late fires every arrival that came due, each keeping its own intended time, so a stall
 * shows up as latency instead of silently thinning the schedule. Above the in-flight cap an arrival
 * is dropped and reported as such, never skipped.
 */
import type { Clock } from '../core/clock.ts';
import type { Arrivals } from './arrivals.ts';
import type { ExecutorContext } from './executors/executor.ts';
import type { LoadPart } from './run-load.ts';

/**
 * How close to an arrival precise mode stops sleeping on a timer and polls the event loop instead.
 * Node's timers have 1 ms granularity and, at thousands of requests per second, wake several ms late
 * (send lag p99 ~6 ms at 5k req/s); polling keeps it near 1 ms, at the cost of a busy core.
 */
const POLL_WINDOW_MS = 1;

export interface OpenLoopOptions {
  clock: Clock;
  maxInFlight: number;
  signal?: AbortSignal;
  /** Starts one operation; resolves when it is done. */
  start(intendedAt: number): Promise<void>;
  /** An arrival that could not start because maxInFlight operations were running. */
  drop(intendedAt: number): void;
  /** Poll the event loop in the last millisecond before each arrival (see POLL_WINDOW_MS). */
  precise?: boolean;
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
    const wait = next.value - clock.now();
    if (options.precise && wait <= POLL_WINDOW_MS) setImmediate(tick);
    else setTimeout(tick, Math.max(0, options.precise ? wait - POLL_WINDOW_MS : wait));
  };
  tick();
  return finished;
}

/** This thread's share of the one schedule: every `of`-th arrival, from the `index`-th. */
export function* shareOfArrivals(arrivals: Arrivals, { index, of }: LoadPart): Arrivals {
  let n = 0;
  for (const at of arrivals) if (n++ % of === index) yield at;
  return undefined;
}

/** An executor's arrivals (this thread's share of them), each running one operation of its workload. */
export function runArrivals(arrivals: Arrivals, ctx: ExecutorContext): Promise<void> {
  return runOpenLoop(ctx.part.of > 1 ? shareOfArrivals(arrivals, ctx.part) : arrivals, {
    clock: ctx.clock,
    maxInFlight: ctx.maxInFlight,
    signal: ctx.signal,
    precise: ctx.precise,
    start: (intendedAt) => ctx.workload.run(ctx.operation(intendedAt)),
    drop: ctx.dropped,
  });
}
