/**
 * `runExperiment` for a user's script: the definition as `defineExperiment` gives it, checked as
 * `faultline run` checks a file (every problem at once, then the plan), on the runtime it picks;
 * nothing starts for a definition, variant or option that could never have run.
 */
import { resolve } from 'node:path';
import { usageError } from '../core/errors.ts';
import { type Logger, silentLogger } from '../core/logger.ts';
import { type Experiment, type ExperimentInput, validateExperiment } from '../experiment/definition.ts';
import { checkRunnable, type RuntimeChoice, resolveRuntime, topologyStarter } from '../runtime/runtimes.ts';
import { type PlanOverrides, planRun, type Variant } from './plan-run.ts';
import { checkResultsDir } from './results-dir.ts';
import { type RunOutcome, runVariant } from './run-experiment.ts';
import { selectRuns, variantList } from './selection.ts';

export interface RunExperimentOptions extends Pick<PlanOverrides, 'target' | 'app'> {
  /** Which variant to run, by name; required when the experiment has variants. */
  variant?: string;
  /** Where the topology runs (default auto: docker when an engine answers, as `faultline run`). */
  runtime?: RuntimeChoice;
  /** result.json goes to <outDir>/<experiment>/<timestamp>/ (default runs/, from the working directory). */
  outDir?: string;
  /** Multiply every phase duration (0.5 = half as long). */
  durationScale?: number;
  /** Override the experiment's seed. */
  seed?: number;
  /** Stops the run early; the result then says "aborted". */
  signal?: AbortSignal;
  log?: Logger;
}

/**
 * Validates, plans and runs one experiment (or one of its variants) and returns its judged result
 * and where result.json went. Bad input is a FaultlineError (exit code 2) before anything starts;
 * a run that failed after its start is one with exit code 3.
 */
export async function runExperiment(
  definition: ExperimentInput | Experiment,
  options: RunExperimentOptions = {},
): Promise<RunOutcome> {
  const { durationScale = 1, log = silentLogger } = options;
  const experiment = validateExperiment(definition, definitionName(definition));
  const variant = pickVariant(experiment, options.variant);
  if (!(durationScale > 0)) {
    throw usageError(
      'run.scale',
      `durationScale must be > 0, got ${durationScale}`,
      'e.g. 0.5 for half-length phases',
    );
  }
  const overrides = {
    ...(options.target === undefined ? {} : { target: options.target }),
    ...(options.app === undefined ? {} : { app: options.app }),
  };
  const plan = await planRun(experiment, variant, { durationScale, ...overrides });
  const outDir = resolve(options.outDir ?? 'runs');
  await checkResultsDir(outDir, 'outDir');
  const runtime = await resolveRuntime(options.runtime ?? 'auto', { log });
  await checkRunnable(runtime, plan.composition);
  return runVariant(experiment, variant, {
    startTopology: topologyStarter(runtime, log),
    runtime,
    outDir,
    durationScale,
    ...overrides,
    log,
    ...(options.seed === undefined ? {} : { seed: options.seed }),
    ...(options.signal ? { signal: options.signal } : {}),
  });
}

/** The name errors about an invalid definition start with. */
function definitionName(definition: unknown): string {
  const name = (definition as { name?: unknown } | undefined)?.name;
  return typeof name === 'string' && name ? name : 'experiment';
}

/** One run, so an experiment with variants needs one named (`faultline run` would run each). */
function pickVariant(experiment: Experiment, name: string | undefined): Variant | undefined {
  if (name !== undefined) return selectRuns([experiment], name, true)[0]?.variant;
  if (!experiment.variants.length) return undefined;
  throw usageError(
    'run.variant',
    `${experiment.name} has variants: name the one to run, e.g. { variant: '${experiment.variants[0]?.name}' }`,
    variantList(experiment),
  );
}
