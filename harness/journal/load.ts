/**
 * The load a run was configured with, read back from its result: the experiment copy's load spec,
 * its executor's durations scaled by the run's --duration-scale and running through the phases, as
 * the run started it (loadForPhases, the same function the run uses).
 */
import { experimentLoadSchema, type LoadSpec, loadForPhases, loadSchema } from '../load/load-spec.ts';
import type { RunResult } from './result.ts';

/** The load as it ran; undefined when the experiment copy holds no valid load spec. */
export function configuredLoad(
  result: Pick<RunResult, 'experiment' | 'environment' | 'phases'>,
): LoadSpec | undefined {
  const load = experimentLoadSchema.safeParse(result.experiment.definition.load);
  if (!load.success) return undefined;
  const start = Math.min(...result.phases.map((p) => p.startMs));
  const end = Math.max(...result.phases.map((p) => p.endMs));
  const durationMs = result.phases.length ? end - start : 0;
  const spec = loadSchema.safeParse(loadForPhases(load.data, durationMs, result.environment.durationScale));
  return spec.success ? spec.data : undefined;
}
