/**
 * Checkers judge a finished run from its record (samples, events, metrics) and say valid true /
 * false / 'unknown' with their evidence; they never touch the system. One checker per file.
 */
import type { z } from 'zod';
import type { MetricsSnapshot } from '../metrics/snapshot.ts';
import type { RunEvent } from '../samples/event-log.ts';
import type { Sample } from '../samples/sample.ts';

export interface PhaseWindow {
  name: string;
  /** Run-clock ms. */
  startMs: number;
  endMs: number;
}

export interface RunRecord {
  experiment: string;
  phases: readonly PhaseWindow[];
  samples: readonly Sample[];
  events: readonly RunEvent[];
  metrics: MetricsSnapshot;
}

export interface CheckResult {
  checker: string;
  /** true: the property held; false: it was violated; 'unknown': the run cannot tell (say why). */
  valid: boolean | 'unknown';
  /** The headline number (ms, count or ratio), when there is one. */
  value?: number;
  unit?: 'ms' | 'count' | 'ratio';
  /** One line for people. */
  summary: string;
  /** What a report shows: per-phase numbers, timelines, offending samples (bounded in size). */
  evidence: Record<string, unknown>;
}

export interface Checker {
  readonly name: string;
  check(run: RunRecord): CheckResult;
}

export type MetricUnit = 'ms' | 'ratio' | 'count' | 'per-second';

/**
 * A named metric for hypotheses, measured by one analysis (see metric-values.ts for the
 * conventions: undefined = cannot tell, Infinity = never happened within the run).
 */
export interface MetricSpec<A> {
  unit: MetricUnit;
  /** 'phase': takes the named phase (the whole run when none); 'run': ignores the phase. */
  scope: 'phase' | 'run';
  /** Which way is better, for compare and for people reading a hypothesis. */
  better: 'lower' | 'higher';
  description: string;
  resolve(analysis: A, phase: string | undefined): number | null | undefined;
}

/**
 * Everything the harness and the reports know about one checker kind, declared in its own file:
 * its options, the evidence a report may read, its headline value, its metrics and how it judges.
 */
export interface CheckerDefinition<N extends string, O extends z.ZodType, A, E extends z.ZodType> {
  /**
   * What result.json and reports call it: lowercase words joined by dashes. A user's own checker
   * may not take a built-in checker's name (`faultline list` shows them).
   */
  name: N;
  /**
   * The checker's options, a strict zod object with defaults; undefined options mean the defaults.
   * An experiment's options for it are checked against this before anything starts.
   */
  options: O;
  /**
   * The evidence as a report reads it: result.json keeps evidence as free-form JSON, so a report
   * checks it against this (leniently: only the fields it draws, extra fields ignored).
   */
  evidence: E;
  /** The headline value of its result (CheckResult.value), when it gives one. */
  value: { unit: NonNullable<CheckResult['unit']>; better: 'lower' | 'higher' };
  /** The pure analysis its metrics and its check are computed from. */
  analyze(run: RunRecord, options?: z.input<O>): A;
  /** Its metrics by name, each resolved from the analysis. */
  metrics: Readonly<Record<string, MetricSpec<A>>>;
  /**
   * Makes the checker (it judges and writes the summary) from the options the experiment gave,
   * which were checked against `options` first (parse them with it for the defaults). Its `check`
   * returns a CheckResult whose `checker` is this name.
   */
  create(options?: z.input<O>): Checker;
}

const CHECKER = Symbol.for('faultline.checker');

/**
 * Defines a checker kind, typed from what it declares (see CheckerDefinition). An experiment lists
 * it next to checker names, alone or with options: `checkers: ['slo', slowRequests, { name:
 * slowRequests, options: { slowMs: 300 } }]`; its result lands in result.json's `checks` under its
 * name. A checker only reads the finished run (samples, events, metrics): it never touches the system.
 *
 * @example
 * const options = z.object({ slowMs: z.number().min(0).default(250) }).strict();
 * const analyze = (run: RunRecord, input?: z.input<typeof options>) => {
 *   const { slowMs } = options.parse(input ?? {});
 *   const fault = run.phases.find((p) => p.name === 'fault');
 *   const during = run.samples.filter((s) => fault && s.intendedAt >= fault.startMs && s.intendedAt < fault.endMs);
 *   return { requests: during.length, slow: during.filter((s) => s.doneAt - s.intendedAt > slowMs).length };
 * };
 * const slowRequests = defineChecker({
 *   name: 'slow-requests',
 *   options,
 *   evidence: z.object({ requests: z.number(), slow: z.number() }),
 *   value: { unit: 'count', better: 'lower' },
 *   analyze,
 *   // Its metrics, which hypotheses may name as they name built-in ones: 'slow-request-ratio < 5%'
 *   // (a ratio, written in %; the analysis already covers only the fault, so the metric is run-wide).
 *   metrics: {
 *     'slow-request-ratio': { unit: 'ratio', scope: 'run', better: 'lower',
 *       description: 'the share of requests during the fault slower than slowMs',
 *       resolve: (a) => (a.requests === 0 ? undefined : a.slow / a.requests) },
 *   },
 *   create: (input) => ({
 *     name: 'slow-requests',
 *     check(run) {
 *       const a = analyze(run, input);
 *       return { checker: 'slow-requests', valid: a.requests === 0 ? 'unknown' : a.slow === 0,
 *         value: a.slow, unit: 'count', summary: `${a.slow} of ${a.requests} requests were slow`, evidence: a };
 *     },
 *   }),
 * });
 */
export function defineChecker<const N extends string, O extends z.ZodType, A, E extends z.ZodType>(
  definition: CheckerDefinition<N, O, A, E>,
): CheckerDefinition<N, O, A, E> {
  return Object.freeze({ ...definition, [CHECKER]: true });
}

export function isCheckerDefinition(
  value: unknown,
): value is CheckerDefinition<string, z.ZodType, unknown, z.ZodType> {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[CHECKER] === true;
}

/**
 * Metrics measured by an analysis that is no checker's own (the per-phase load numbers every run
 * has): what metric-values.ts reads besides the checkers.
 */
export interface MetricSource<A> {
  name: string;
  analyze(run: RunRecord): A;
  metrics: Readonly<Record<string, MetricSpec<A>>>;
}

export function defineMetrics<A>(source: MetricSource<A>): MetricSource<A> {
  return Object.freeze(source);
}
