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

/** The literal name and options schema a definition keeps in its type. */
type Typed<N extends string, S extends z.ZodObject> = { readonly name: N; readonly options: S };

/** Types a workload; its literal name and options schema stay in the type (for editors' completion). */
export function defineWorkload<const N extends string, S extends z.ZodObject>(
  kind: WorkloadKind<S> & { readonly name: N },
): Omit<WorkloadKind, 'name' | 'options'> & Typed<N, S> {
  return kind as unknown as Omit<WorkloadKind, 'name' | 'options'> & Typed<N, S>;
}
