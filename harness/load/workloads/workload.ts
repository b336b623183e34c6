/** What each arrival does, separate from when arrivals happen (the executor). One workload per file. */
import type { Random } from '../../core/random.ts';
import type { Operation } from '../operation.ts';

export interface Workload {
  readonly name: string;
  /** Runs one operation: one or more requests through `op`. */
  run(op: Operation): Promise<void>;
}

export interface WorkloadContext {
  random: Random;
}
