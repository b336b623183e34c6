/**
 * Everything about one run that can be known before anything starts, checked: the target and its
 * topology options (the experiment's with the variant's on top), the web app (the user's own in place
 * of the target's, from the CLI or the experiment), every fault and what it acts on against the services
 * and links that topology will have, the phases and the load spec. Any problem is a usage error
 * (exit 2) naming the field, so nothing is started for a run that could never have worked.
 */
import type { Composition } from '../components/composition.ts';
import { type AppSpecInput, appSpecSchema, webAppFrom } from '../components/web-app.ts';
import { usageError } from '../core/errors.ts';
import { parseOrThrow } from '../core/validation.ts';
import { type Experiment, type PhaseName, phaseWindows } from '../experiment/definition.ts';
import type { Fault } from '../faults/fault.ts';
import { createFault, faultNeedProblem, faultTargets } from '../faults/registry.ts';
import { namesLike, targetProblem } from '../faults/targets.ts';
import { type LoadSpec, loadForPhases, loadSchema } from '../load/load-spec.ts';
import { plannedTopology } from '../runtime/topology.ts';
import { loadTarget } from '../target/catalog.ts';
import { composeTarget } from '../target/target.ts';

export type Variant = Experiment['variants'][number];

/** What the command line puts in place of the experiment's own. */
export interface PlanOverrides {
  /** Multiply every phase duration (0.5 = half as long). */
  durationScale?: number;
  /** The target to run on instead of the experiment's (`--target`). */
  target?: string;
  /** The user's own web app (`--app-command`, `--app-image`). */
  app?: AppSpecInput;
  /** The workload to send instead of the experiment's (`--app-request`). */
  workload?: Record<string, unknown>;
}

export interface RunPlan {
  /** "replica-lag [mitigation=lsn]", for logs and errors. */
  label: string;
  composition: Composition;
  faults: Fault[];
  /** Phase windows in ms from the start of load. */
  phases: { name: PhaseName; startMs: number; endMs: number }[];
  load: LoadSpec;
}

export async function planRun(
  experiment: Experiment,
  variant: Variant | undefined,
  overrides: PlanOverrides = {},
): Promise<RunPlan> {
  const { durationScale = 1 } = overrides;
  const label = variant ? `${experiment.name} [${variant.name}]` : experiment.name;
  const composition = composeTarget(
    await loadTarget(overrides.target ?? experiment.target),
    { ...experiment.topology, ...(variant?.topology ?? {}) },
    appOf(label, overrides.app ?? experiment.app),
  );
  const layout = plannedTopology(composition);
  const problems: string[] = [];
  const hints = new Set<string>();
  const faults = variant?.faults ?? experiment.faults;
  faults.forEach((spec, i) => {
    for (const target of faultTargets(spec)) {
      const problem = targetProblem(target, layout);
      if (!problem) continue;
      problems.push(`faults.${i}${target.param ? `.${target.param}` : ''}: ${problem}`);
      hints.add(namesLike(target, layout));
    }
    const need = faultNeedProblem(spec, composition);
    if (need) problems.push(`faults.${i}: ${need}`);
  });
  if (problems.length) {
    throw usageError('experiment.fault-target', `${label}: ${problems.join('; ')}`, [...hints].join('; '));
  }
  const phases = phaseWindows(experiment, durationScale);
  // Load runs through every phase; its duration is theirs together.
  const load = parseOrThrow(
    loadSchema,
    loadForPhases(
      overrides.workload
        ? { ...experiment.load, workload: overrides.workload as LoadSpec['workload'] }
        : experiment.load,
      phases.at(-1)?.endMs ?? 0,
      durationScale,
    ),
    `load for ${label}`,
    'experiment.load',
    'fix the experiment’s load',
  );
  return { label, composition, faults: faults.map((spec) => createFault(spec)), phases, load };
}

function appOf(label: string, app: AppSpecInput | undefined) {
  if (app === undefined) return undefined;
  return webAppFrom(parseOrThrow(appSpecSchema, app, `app for ${label}`, 'app.invalid', 'fix the app'));
}
