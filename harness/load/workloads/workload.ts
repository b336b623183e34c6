/**
 * What each arrival does, separate from when arrivals happen (the executor). One workload per file,
 * each declaring its options and registering in registry.ts, like the executors.
 */
import type { z } from 'zod';
import type { Random } from '../../core/random.ts';
import type { Operation } from '../operation.ts';

export interface Workload {
  readonly name: string;
  /** Runs one operation: one or more requests through `op`. */
  run(op: Operation): Promise<void>;
}

/** A workload by name: its options (strict, with defaults) and how to make it from them. */
export interface WorkloadKind<S extends z.ZodObject = z.ZodObject> {
  readonly name: string;
  readonly description: string;
  readonly options: S;
  /** `random` is seeded: the only source of randomness a workload may use. */
  create(options: z.output<S>, random: Random): Workload;
}

export function defineWorkload<S extends z.ZodObject>(kind: WorkloadKind<S>): WorkloadKind {
  return kind as unknown as WorkloadKind;
}
