/**
 * The load part of an experiment (or of `faultline load`): which executor, which workload, and the
 * client's limits. Validated strictly; durations may be written "30s" or given in ms. The executor
 * and workload schemas are made from their registries, so nothing here lists them.
 */
import { z } from 'zod';
import { durationSchema, formatDuration } from '../core/duration.ts';
import type { ExecutorKind } from './executors/executor.ts';
import { type ExecutorInput, executorKinds } from './executors/registry.ts';
import { type WorkloadInput, workloadKinds } from './workloads/registry.ts';

/** An executor as an experiment gives it: its name and options. */
export interface ExecutorOptions {
  executor: string;
  [option: string]: unknown;
}

/** An executor spec, validated: its name, options and how long it runs (ms). */
export interface ExecutorSpec extends ExecutorOptions {
  duration: number;
}

export interface WorkloadSpec {
  workload: string;
  [option: string]: unknown;
}

/**
 * One object per registered kind, told apart by `key`; an unknown or missing name lists the known
 * ones. `extra` adds fields to every kind's options.
 */
function kindUnion<K extends { name: string; options: z.ZodObject }>(
  key: 'executor' | 'workload',
  kinds: ReadonlyMap<string, K>,
  extra: (kind: K) => z.ZodRawShape = () => ({}),
) {
  const members = [...kinds.values()].map((kind) =>
    kind.options.extend({ [key]: z.literal(kind.name), ...extra(kind) }).strict(),
  );
  const known = `${key}s: ${[...kinds.keys()].join(', ')}`;
  return z.discriminatedUnion(key, members as [z.ZodObject, ...z.ZodObject[]], {
    error: (issue) => {
      if (issue.code !== 'invalid_union') return undefined;
      const name = (issue.input as Record<string, unknown> | undefined)?.[key];
      return name === undefined
        ? `needs "${key}" (${known})`
        : `unknown ${key} ${JSON.stringify(name)} (${known})`;
    },
  });
}

export function executorKind(name: string): ExecutorKind {
  const kind = executorKinds.get(name);
  if (!kind) throw new Error(`unknown executor "${name}" (the load spec was not validated)`);
  return kind;
}

/** An executor with its own length (ramping's stages) may leave `duration` out: it runs that long. */
export const executorSchema = kindUnion('executor', executorKinds, (kind) => ({
  duration: kind.ownDuration ? durationSchema.optional() : durationSchema,
})).transform((spec): ExecutorSpec => {
  const { duration, executor } = spec as { duration?: number; executor: string };
  return { ...spec, executor, duration: duration ?? (executorKind(executor).ownDuration?.(spec) as number) };
});

export const workloadSchema = kindUnion('workload', workloadKinds) as unknown as z.ZodType<
  WorkloadSpec,
  WorkloadSpec
>;

/** The client's limits, the same for an experiment's load and for `faultline load`. */
const limits = {
  /** Connections per target origin (undici Pool cap). */
  connections: z.number().int().min(1).max(4096, { message: 'must be at most 4096' }).default(64),
  /** Per-request deadline; a request without an answer by then is a TIMEOUT (outcome info). */
  timeout: durationSchema.default(5000),
  /** Operations running at once before new arrivals are dropped (and counted). */
  maxInFlight: z.number().int().min(1).default(2000),
  /**
   * Poll the event loop in the last millisecond before each arrival: send lag near 1 ms instead of
   * several ms at thousands of req/s, at the cost of one busy CPU core (off: timers only).
   */
  precise: z.boolean().default(false),
  /** The run is invalid when the generator's send lag p99 exceeds this. */
  maxSendLagMs: z.number().positive().default(10),
  /**
   * Generator threads. Each sends every N-th arrival of the one schedule (or runs every N-th user)
   * with its own connections; `connections` and `maxInFlight` are shared out among them. One thread
   * keeps a few thousand req/s; more need more cores, one each.
   */
  workers: z.number().int().min(1).max(32, { message: 'must be at most 32' }).default(1),
};

export const loadSchema = z
  .object({ executor: executorSchema, workload: workloadSchema, ...limits })
  .strict();

/**
 * An experiment's load: the same executors, workloads and limits, without `duration`, because load
 * runs through all of the experiment's phases.
 */
export const experimentLoadSchema = z
  .object({
    // Typed as a registered kind's input, so an experiment file gets its editor's completion.
    executor: kindUnion('executor', executorKinds) as unknown as z.ZodType<ExecutorOptions, ExecutorInput>,
    workload: workloadSchema as z.ZodType<WorkloadSpec, WorkloadInput>,
    ...limits,
  })
  .strict();

export type ExperimentLoad = z.output<typeof experimentLoadSchema>;

/** Why an experiment's executor cannot run through phases of `phasesMs` in all (it is longer), if so. */
export function phasesProblem(executor: ExperimentLoad['executor'], phasesMs: number): string | undefined {
  const own = executorKind(executor.executor).ownDuration?.(executor);
  if (own === undefined || own <= phasesMs) return undefined;
  return `${executor.executor} takes ${formatDuration(own)}, longer than the phases (${formatDuration(phasesMs)}): shorten it or lengthen the phases`;
}

/**
 * The load of a run whose phases take `durationMs` in all, scaled by `scale` (--duration-scale): the
 * executor's own durations are scaled like the phases, and it runs through all of them.
 */
export function loadForPhases(load: ExperimentLoad, durationMs: number, scale: number): LoadSpecInput {
  const kind = executorKind(load.executor.executor);
  const options = kind.scaled ? kind.scaled(load.executor, scale) : load.executor;
  return { ...load, executor: { ...options, duration: durationMs } };
}

export type LoadSpecInput = z.input<typeof loadSchema>;
export type LoadSpec = z.output<typeof loadSchema>;
