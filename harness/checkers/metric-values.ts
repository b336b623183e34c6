/**
 * Named metrics for hypotheses ("p99 < 250ms during fault", "failover-time < 3s"): each resolves to
 * a number through the checkers' own analyses, so a hypothesis and a checker never disagree. The
 * built-in checkers' metrics are `metrics`; an experiment's own checkers add theirs (experimentMetrics).
 *
 * Conventions:
 * - Units: ms for times, a ratio 0..1 for rates and ratios, requests/s for throughput, counts
 *   otherwise (see `metrics` below for each).
 * - Phase-scoped metrics take the named phase, or the whole run when none is given. Run-scoped
 *   metrics (failover-time, time-to-detect, time-to-recover, rewarm-time, hit-ratio-dip,
 *   db-read-surge) ignore the phase.
 * - undefined = the run cannot tell (no data of that kind, no fault, run ended too soon, unknown
 *   metric name). Infinity = the checker established that it never happened within the run
 *   (failures never stopped, the LB never marked the server DOWN, the SLO or the cache hit ratio
 *   never came back), so "failover-time < 3s" fails rather than being unknown.
 * - Checker options (e.g. time-to-recover's SLO) come from `checkerOptions`, keyed by checker
 *   name, as the experiment configured them (see optionsFromSpecs); defaults otherwise.
 *
 * Analyses are memoized per record object and options: judge a record only once it is complete.
 */

import { usageError } from '../core/errors.ts';
import type { MetricSpec, RunRecord } from './checker.ts';
import { loadMetrics } from './load-metrics.ts';
import {
  type AnyCheckerDefinition,
  type CheckerSpec,
  type CheckerSpecInput,
  checkerDefinitions,
  ownCheckerDefinitions,
} from './registry.ts';

export type CheckerOptionsByName = Readonly<Record<string, Record<string, unknown> | undefined>>;

interface Ctx {
  run: RunRecord;
  phase: string | undefined;
  /** The analysis `source` makes of the run (with its checker's options), memoized. */
  get(source: string, analyze: (run: RunRecord, options?: never) => unknown): unknown;
}

export interface MetricDefinition extends Omit<MetricSpec<unknown>, 'resolve'> {
  /**
   * The checker that measures it (the number comes from its analysis): a hypothesis on the metric
   * judges what that checker measured. None for the per-phase load numbers every run has.
   */
  checker?: string;
  resolve(ctx: Ctx): number | null | undefined;
}

/** What declares metrics: a checker kind, or the load numbers (load-metrics.ts). */
type Source = {
  name: string;
  analyze: (run: RunRecord, options?: never) => unknown;
  metrics: Readonly<Record<string, MetricSpec<never>>>;
};

/** A metric table entry from one declared metric of `source` (a checker, or the load numbers). */
function fromSource(
  source: Source,
  spec: MetricSpec<unknown>,
  checker: string | undefined,
): MetricDefinition {
  const { resolve, ...rest } = spec;
  return {
    ...rest,
    ...(checker === undefined ? {} : { checker }),
    resolve: (c) => resolve(c.get(source.name, source.analyze), c.phase),
  };
}

/**
 * The metric table of `sources` (`checker` names the source of those that are checkers); throws
 * when two declare the same metric name, which would otherwise leave one of them unreachable.
 */
export function metricTable(
  sources: readonly { source: Source; checker?: string }[],
): Record<string, MetricDefinition> {
  const table: Record<string, MetricDefinition> = {};
  const declaredBy: Record<string, string> = {};
  for (const { source, checker } of sources) {
    for (const [name, spec] of Object.entries(source.metrics as Record<string, MetricSpec<unknown>>)) {
      if (Object.hasOwn(table, name)) {
        throw usageError(
          'METRIC_DUPLICATE',
          `metric "${name}" is declared by both ${declaredBy[name]} and ${source.name}`,
          'a metric name belongs to one checker: rename one of them in its harness/checkers/<checker>.ts',
        );
      }
      declaredBy[name] = source.name;
      table[name] = fromSource(source, spec, checker);
    }
  }
  return table;
}

/** Every metric by name: the load numbers', then each checker's, as the checkers declare them. */
export const metrics: Readonly<Record<string, MetricDefinition>> = Object.freeze(
  metricTable([
    { source: loadMetrics },
    ...(Object.values(checkerDefinitions) as readonly AnyCheckerDefinition[]).map((d) => ({
      source: d,
      checker: d.name,
    })),
  ]),
);

export const metricNames: readonly string[] = Object.keys(metrics);

export function isKnownMetric(name: string): boolean {
  return Object.hasOwn(metrics, name);
}

export type MetricTable = Readonly<Record<string, MetricDefinition>>;

const METRIC_NAME = /^[a-z][a-z0-9-]*$/;

/**
 * The metrics an experiment's hypotheses may name: the built-in ones, then those its own checkers
 * (defineChecker) declare, each under its checker. Throws a usage error when one of its own is not a
 * name a hypothesis can write, or is already a built-in metric's or another of its checkers' name.
 */
export function experimentMetrics(checkers: readonly CheckerSpecInput[]): MetricTable {
  const own = ownCheckerDefinitions(checkers);
  if (own.length === 0) return metrics;
  const table: Record<string, MetricDefinition> = { ...metrics };
  const declaredBy: Record<string, string> = {};
  for (const definition of own) {
    for (const [name, spec] of Object.entries(definition.metrics as Record<string, MetricSpec<unknown>>)) {
      const of = `metric "${name}" of checker "${definition.name}"`;
      if (!METRIC_NAME.test(name)) {
        throw usageError(
          'METRIC_NAME',
          `${of} is not a name`,
          'name a metric with lowercase words joined by dashes, e.g. slow-request-ratio',
        );
      }
      if (isKnownMetric(name)) {
        throw usageError(
          'METRIC_BUILT_IN',
          `${of} is built in`,
          'give your checker’s metric a name of its own; faultline list shows the built-in ones',
        );
      }
      if (Object.hasOwn(table, name)) {
        throw usageError(
          'METRIC_DUPLICATE',
          `${of} is also declared by checker "${declaredBy[name]}"`,
          'a metric name belongs to one checker: rename one of them',
        );
      }
      declaredBy[name] = definition.name;
      table[name] = fromSource(definition, spec, definition.name);
    }
  }
  return table;
}

/** Checker options by checker name, from an experiment's `checkers` list. */
export function optionsFromSpecs(specs: readonly CheckerSpec[]): CheckerOptionsByName {
  const out: Record<string, Record<string, unknown> | undefined> = {};
  for (const spec of specs) if (typeof spec !== 'string') out[spec.name] = spec.options;
  return out;
}

const memo = new WeakMap<RunRecord, Map<string, unknown>>();

/**
 * The value of metric `name` of `table` (an experiment's: experimentMetrics) over `phase` (the whole
 * run when undefined) of a finished run; see the conventions at the top of this file. Names not in
 * the table give undefined.
 */
export function metricValue(
  run: RunRecord,
  name: string,
  phase?: string,
  checkerOptions: CheckerOptionsByName = {},
  table: MetricTable = metrics,
): number | undefined {
  if (!Object.hasOwn(table, name)) return undefined;
  let cached = memo.get(run);
  if (!cached) {
    cached = new Map();
    memo.set(run, cached);
  }
  const store = cached;
  const ctx: Ctx = {
    run,
    phase,
    get(source, analyze) {
      const options = checkerOptions[source];
      const key = `${source}\u0000${JSON.stringify(options ?? {})}`;
      if (!store.has(key)) store.set(key, analyze(run, options as never));
      return store.get(key);
    },
  };
  const value = (table[name] as MetricDefinition).resolve(ctx);
  return value === null || value === undefined || Number.isNaN(value) ? undefined : value;
}
