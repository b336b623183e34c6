/**
 * Everything a user can name in an experiment, read from the registries themselves: experiments,
 * fault kinds, metrics, executors, workloads and the target's services and links. `faultline list`,
 * `faultline list --json` and docs/experiments.md are all renderings of this one model, so none of
 * them can drift from the code.
 */

import type { z } from 'zod';
import { metrics } from '../checkers/metric-values.ts';
import { describeFields, type FieldDescription } from '../core/describe-schema.ts';
import { loadExperiments } from '../experiment/catalog.ts';
import type { Experiment } from '../experiment/definition.ts';
import type { FaultKind, FaultTarget } from '../faults/fault.ts';
import { faultKinds } from '../faults/registry.ts';
import { targetProblem } from '../faults/targets.ts';
import { executorKinds } from '../load/executors/registry.ts';
import { workloadKinds } from '../load/workloads/registry.ts';
import { plannedTopology } from '../runtime/topology.ts';
import { DEFAULT_TARGET, loadTarget, targetNames } from '../target/catalog.ts';
import { composeTarget, type TargetDefinition } from '../target/target.ts';

export interface ExperimentModel {
  name: string;
  description: string;
  faults: string[];
  hypotheses: string[];
  checkers: string[];
  /** Each variant's topology options, and its own faults (kind and parameters) when it has them. */
  variants: { name: string; topology: Record<string, unknown>; faults?: string[] }[];
}

/** What a fault kind acts on: the parameter naming it and what the default topology accepts there. */
export interface FaultTargetModel {
  param?: string;
  sort: 'service' | 'link';
  /** Names in the default topology the parameter accepts (the fixed target when there is no param). */
  accepts: string[];
}

export interface FaultModel {
  kind: string;
  description: string;
  params: FieldDescription[];
  targets: FaultTargetModel[];
}

export interface MetricModel {
  name: string;
  unit: string;
  scope: string;
  checker?: string;
  description: string;
}

export interface KindModel {
  name: string;
  description: string;
  options: FieldDescription[];
}

/** How one topology option changes the default topology's services and links. */
export interface TopologyChange {
  option: string;
  value: unknown;
  added: { services: string[]; links: string[] };
  removed: { services: string[]; links: string[] };
}

export interface TopologyModel {
  target: string;
  services: string[];
  links: string[];
  changes: TopologyChange[];
}

export interface CatalogModel {
  experiments: ExperimentModel[];
  faults: FaultModel[];
  metrics: MetricModel[];
  executors: KindModel[];
  workloads: KindModel[];
  /** Every target (targets/<name>/target.ts) with its topology options. */
  targets: KindModel[];
  topology: TopologyModel;
}

type Names = ReturnType<typeof plannedTopology>;

/** A fault spec as one line: its kind, and its parameters when it has any. */
function faultText({ kind, ...params }: Experiment['faults'][number]): string {
  return Object.keys(params).length ? `${kind} ${JSON.stringify(params)}` : kind;
}

function experimentModel(e: Experiment): ExperimentModel {
  return {
    name: e.name,
    description: e.description,
    faults: e.faults.map((f) => f.kind),
    hypotheses: e.hypotheses,
    checkers: e.checkers.map((c) => (typeof c === 'string' ? c : c.name)),
    variants: e.variants.map((v) => ({
      name: v.name,
      topology: v.topology,
      ...(v.faults ? { faults: v.faults.map(faultText) } : {}),
    })),
  };
}

const nameOf = (t: FaultTarget) => ('link' in t ? t.link : t.service);
const sortOf = (t: FaultTarget): FaultTargetModel['sort'] => ('link' in t ? 'link' : 'service');

/** The targets of `params` (a kind's targets only read the parameters that name them). */
function targetsOf(kind: FaultKind, params: Record<string, unknown>): FaultTarget[] {
  try {
    return kind.targets(params);
  } catch {
    return [];
  }
}

/**
 * Which services and links each target parameter accepts, found by asking the kind itself: every name
 * of the topology is tried in each parameter (alone or as a one-element list), and kept when the
 * parameter's schema takes it and the kind then acts on it.
 */
function faultTargetModels(kind: FaultKind, topology: Names): FaultTargetModel[] {
  const shape = (kind.params as z.ZodObject).shape as Record<string, z.ZodType>;
  const defaults: Record<string, unknown> = {};
  for (const [name, field] of Object.entries(shape)) {
    const parsed = field.safeParse(undefined);
    if (parsed.success && parsed.data !== undefined) defaults[name] = parsed.data;
  }
  const fixed = targetsOf(kind, defaults)
    .filter((t) => t.param === undefined)
    .map((t) => ({ sort: sortOf(t), accepts: [nameOf(t)] }));
  const candidates = [...topology.serviceNames, ...topology.linkNames];
  const byParam = new Map<string, FaultTargetModel>();
  for (const [param, field] of Object.entries(shape)) {
    for (const name of candidates) {
      for (const value of [name, [name]]) {
        const parsed = field.safeParse(value);
        if (!parsed.success) continue;
        const hit = targetsOf(kind, { ...defaults, [param]: parsed.data }).find(
          (t) => nameOf(t) === name && t.param?.split('.')[0] === param && !targetProblem(t, topology),
        );
        if (!hit) continue;
        const entry = byParam.get(param) ?? { param, sort: sortOf(hit), accepts: [] };
        if (!entry.accepts.includes(name)) entry.accepts.push(name);
        byParam.set(param, entry);
      }
    }
  }
  return [...fixed, ...byParam.values()];
}

function faultModel(kind: FaultKind, topology: Names): FaultModel {
  return {
    kind: kind.kind,
    description: kind.description,
    params: describeFields(kind.params as z.ZodObject),
    targets: faultTargetModels(kind, topology),
  };
}

const kindModel = (k: { name: string; description: string; options: z.ZodObject }): KindModel => ({
  name: k.name,
  description: k.description,
  options: describeFields(k.options),
});

const minus = (a: readonly string[], b: readonly string[]) => a.filter((x) => !b.includes(x));

/** One more web server, cache node or replica, or memory sessions, against the defaults. */
function topologyChanges(target: TargetDefinition, base: Names): TopologyChange[] {
  const count = (prefix: string) => base.serviceNames.filter((s) => s.startsWith(`${prefix}-`)).length;
  const options: [string, unknown][] = [
    ['web', count('web') + 1],
    ['cache', count('cache') + 1],
    ['replicas', count('pg-replica') + 1],
    ['sessionStore', 'memory'],
  ];
  return options.map(([option, value]) => {
    const changed = plannedTopology(composeTarget(target, { [option]: value }));
    return {
      option,
      value,
      added: {
        services: minus(changed.serviceNames, base.serviceNames),
        links: minus(changed.linkNames, base.linkNames),
      },
      removed: {
        services: minus(base.serviceNames, changed.serviceNames),
        links: minus(base.linkNames, changed.linkNames),
      },
    };
  });
}

export async function catalogModel(): Promise<CatalogModel> {
  const target = await loadTarget(DEFAULT_TARGET);
  const topology = plannedTopology(composeTarget(target, {}));
  return {
    experiments: (await loadExperiments()).map(experimentModel),
    faults: [...faultKinds.values()].map((k) => faultModel(k, topology)),
    metrics: Object.entries(metrics).map(([name, m]) => ({
      name,
      unit: m.unit,
      scope: m.scope,
      ...(m.checker ? { checker: m.checker } : {}),
      description: m.description,
    })),
    executors: [...executorKinds.values()].map(kindModel),
    workloads: [...workloadKinds.values()].map(kindModel),
    targets: (await Promise.all(targetNames().map((name) => loadTarget(name)))).map(kindModel),
    topology: {
      target: target.name,
      services: [...topology.serviceNames],
      links: [...topology.linkNames],
      changes: topologyChanges(target, topology),
    },
  };
}

/** "any link", "cache-1", "any service": what a target parameter accepts, short. */
export function acceptsText(target: FaultTargetModel, topology: TopologyModel): string {
  const all = target.sort === 'link' ? topology.links : topology.services.filter((s) => s !== 'toxiproxy');
  const every = all.length > 1 && all.every((name) => target.accepts.includes(name));
  return every ? `any ${target.sort}` : target.accepts.join(', ') || `no ${target.sort} of this topology`;
}

/** "web 4: adds web-4; lb->web-4, ...": a topology change in one line. */
export function changeText(change: TopologyChange): string {
  const part = (verb: string, names: { services: string[]; links: string[] }) => {
    const all = [...names.services, ...names.links];
    return all.length ? `${verb} ${all.join(', ')}` : '';
  };
  const parts = [part('adds', change.added), part('removes', change.removed)].filter(Boolean);
  return `${change.option} ${String(change.value)}: ${parts.join('; ')}`;
}
