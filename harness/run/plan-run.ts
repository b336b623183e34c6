/**
 * Everything about one run that can be known before anything starts, checked: the topology options
 * (the experiment's with the variant's on top), every fault and what it acts on against the services
 * and links that topology will have, the phases and the load spec. Any problem is a usage error
 * (exit 2) naming the field, so nothing is started for a run that could never have worked.
 */
import { usageError } from '../core/errors.ts';
import { parseOrThrow } from '../core/validation.ts';
import { type Experiment, type PhaseName, phaseWindows } from '../experiment/definition.ts';
import type { Fault } from '../faults/fault.ts';
import { createFault, faultTargets } from '../faults/registry.ts';
import { namesLike, targetProblem } from '../faults/targets.ts';
import { type LoadSpec, loadForPhases, loadSchema } from '../load/load-spec.ts';
import { plannedTopology } from '../runtime/topology.ts';

export type Variant = Experiment['variants'][number];
export type TopologyInput = Parameters<typeof plannedTopology>[0];

export interface RunPlan {
  /** "replica-lag [mitigation=lsn]", for logs and errors. */
  label: string;
  topology: TopologyInput;
  faults: Fault[];
  /** Phase windows in ms from the start of load. */
  phases: { name: PhaseName; startMs: number; endMs: number }[];
  load: LoadSpec;
}

export function planRun(experiment: Experiment, variant: Variant | undefined, durationScale = 1): RunPlan {
  const label = variant ? `${experiment.name} [${variant.name}]` : experiment.name;
  const topology = { ...experiment.topology, ...(variant?.topology ?? {}) } as TopologyInput;
  const layout = plannedTopology(topology);
  const problems: string[] = [];
  const hints = new Set<string>();
  experiment.faults.forEach((spec, i) => {
    for (const target of faultTargets(spec)) {
      const problem = targetProblem(target, layout);
      if (!problem) continue;
      problems.push(`faults.${i}${target.param ? `.${target.param}` : ''}: ${problem}`);
      hints.add(namesLike(target, layout));
    }
  });
  if (problems.length) {
    throw usageError('experiment.fault-target', `${label}: ${problems.join('; ')}`, [...hints].join('; '));
  }
  const phases = phaseWindows(experiment, durationScale);
  // Load runs through every phase; its duration is theirs together.
  const load = parseOrThrow(
    loadSchema,
    loadForPhases(experiment.load, phases.at(-1)?.endMs ?? 0, durationScale),
    `load for ${label}`,
    'experiment.load',
    'fix the experiment’s load',
  );
  return { label, topology, faults: experiment.faults.map((spec) => createFault(spec)), phases, load };
}
