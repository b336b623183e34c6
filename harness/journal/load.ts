/**
 * The load a run was configured with, as result.json stores it (schema v2): the load spec as the run
 * started it, its executor's durations scaled by --duration-scale and running through the phases. A
 * v1 result did not store it: configuredLoad derives it from the experiment copy, on upgrade only.
 */
import { z } from 'zod';
import { experimentLoadSchema, type LoadSpec, loadForPhases, loadSchema } from '../load/load-spec.ts';

/**
 * A stored load spec. Only its shape is checked, not the executors and workloads this faultline
 * registers: a result stays readable when they change.
 */
export const configuredLoadSchema = z.object({
  executor: z.looseObject({ executor: z.string(), duration: z.number() }),
  workload: z.looseObject({ workload: z.string() }),
  connections: z.number(),
  timeout: z.number(),
  maxInFlight: z.number(),
  precise: z.boolean(),
  maxSendLagMs: z.number(),
  // Stored since workers came; a result from before ran one thread.
  workers: z.number().default(1),
}) satisfies z.ZodType<LoadSpec>;

/** What a v1 result holds that its configured load is derived from. */
export interface V1LoadSource {
  experiment: { definition: Record<string, unknown> };
  environment: { durationScale: number };
  phases: readonly { startMs: number; endMs: number }[];
}

/**
 * A v1 result's load as it ran (loadForPhases, the same function the run uses); null when its
 * experiment copy holds no load spec this faultline reads.
 */
export function configuredLoad(result: V1LoadSource): LoadSpec | null {
  const load = experimentLoadSchema.safeParse(result.experiment.definition.load);
  if (!load.success) return null;
  const start = Math.min(...result.phases.map((p) => p.startMs));
  const end = Math.max(...result.phases.map((p) => p.endMs));
  const durationMs = result.phases.length ? end - start : 0;
  const spec = loadSchema.safeParse(loadForPhases(load.data, durationMs, result.environment.durationScale));
  return spec.success ? spec.data : null;
}
