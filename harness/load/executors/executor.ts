/** When arrivals happen (k6's executors); one executor per file, validated specs at the boundary. */
import type { Clock } from '../../core/clock.ts';
import type { CookieJar } from '../cookie-jar.ts';
import type { Operation } from '../operation.ts';
import type { Workload } from '../workloads/workload.ts';

export interface ExecutorContext {
  clock: Clock;
  workload: Workload;
  maxInFlight: number;
  /** Keep arrivals to well under a millisecond by polling the event loop (a busy core). */
  precise: boolean;
  signal?: AbortSignal;
  /**
   * A fresh operation (and, without a jar, a fresh user) intended to start at `intendedAt`; `readyAt`
   * when it could not be sent before then for a reason that is not the generator's (see Sample).
   */
  operation(intendedAt: number, jar?: CookieJar, readyAt?: number): Operation;
  /** Reports an arrival that could not be sent because of the in-flight cap. */
  dropped(intendedAt: number): void;
  newUser(): CookieJar;
}

/** Runs until its schedule is done and every started operation finished. */
export type Executor = (ctx: ExecutorContext) => Promise<void>;
