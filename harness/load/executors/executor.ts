/**
 * When arrivals happen (k6's executors): one executor per file, each declaring its options and
 * registering in registry.ts, from which the load spec's schema, `faultline list` and docs are made.
 */
import type { z } from 'zod';
import type { Clock } from '../../core/clock.ts';
import type { Random } from '../../core/random.ts';
import type { CookieJar } from '../cookie-jar.ts';
import type { Operation } from '../operation.ts';
import type { LoadPart } from '../run-load.ts';
import type { Workload } from '../workloads/workload.ts';

export interface ExecutorContext {
  clock: Clock;
  /** When the schedule starts, on the run clock: the same for every generator thread. */
  startAt: number;
  /** Which thread this is: it runs every `of`-th arrival or user, from the `index`-th (runArrivals does). */
  part: LoadPart;
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

/** An executor by name: its options (strict, with defaults) and how to make it from them. */
export interface ExecutorKind<S extends z.ZodObject = z.ZodObject> {
  readonly name: string;
  readonly description: string;
  /** Its options, as an experiment writes them: without `duration`, which the phases give. */
  readonly options: S;
  /**
   * How long it runs when the load spec gives no `duration` (ramping: its stages' total). Without
   * it, `duration` is required. In an experiment it must fit the phases.
   */
  ownDuration?(options: z.output<S>): number;
  /** Its own durations scaled like the phases are (--duration-scale), so its shape is kept. */
  scaled?(options: z.output<S>, factor: number): z.output<S>;
  /** Runs for `durationMs`; `random` is seeded. */
  create(options: z.output<S>, durationMs: number, random: Random): Executor;
}

/** The literal name and options schema a definition keeps in its type. */
type Typed<N extends string, S extends z.ZodObject> = { readonly name: N; readonly options: S };

/** Types an executor; its literal name and options schema stay in the type (for editors' completion). */
export function defineExecutor<const N extends string, S extends z.ZodObject>(
  kind: ExecutorKind<S> & { readonly name: N },
): Omit<ExecutorKind, 'name' | 'options'> & Typed<N, S> {
  return kind as unknown as Omit<ExecutorKind, 'name' | 'options'> & Typed<N, S>;
}
