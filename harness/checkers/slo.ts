/**
 * slo: per-phase service-level thresholds, judged on the metrics snapshot (not on raw samples).
 *
 * Numbers per phase (and `overall`, all phases merged), as the metrics recorder grouped them:
 * - latency p50 / p90 / p99 / p999 / max / mean in ms, from the phase's HDR histogram (intendedAt →
 *   doneAt of the sent requests: coordinated-omission-correct; values are HdrHistogram bucket
 *   bounds, at most 0.1 % above the true value).
 * - requests: every sample (dropped included); errorRate = (fail + info + dropped) / requests.
 * - throughput: completed requests (any outcome, sent ones) per second of the phase window (its
 *   RunRecord.phases duration; without one, the span of its buckets); goodput: the ok ones.
 *
 * Options: `thresholds`, keyed by phase name or "*" (every phase of the run; a named phase's fields
 * override "*"), each with any of p50Ms, p90Ms, p99Ms, p999Ms, maxMs (latency ≤), maxErrorRate
 * (≤, 0..1) and minThroughput (≥, requests/s).
 *
 * valid: false if any threshold is violated; otherwise 'unknown' if a thresholded phase has no
 * metrics, or no thresholds were given; true otherwise. value: the number of violations (count).
 */
import { z } from 'zod';
import { durationSchema } from '../load/load-spec.ts';
import { errorRateOf, mergeCounters, totalOf } from '../metrics/counters.ts';
import type { LatencyHistogram } from '../metrics/histogram.ts';
import { mergeHistograms, summarize } from '../metrics/histogram.ts';
import type { PhaseMetrics } from '../metrics/snapshot.ts';
import type { Checker, CheckResult, RunRecord } from './checker.ts';
import { bounded, fmtPct, parseOptions, phaseDurationMs, r3 } from './support.ts';

const threshold = z
  .object({
    p50Ms: durationSchema.optional(),
    p90Ms: durationSchema.optional(),
    p99Ms: durationSchema.optional(),
    p999Ms: durationSchema.optional(),
    maxMs: durationSchema.optional(),
    maxErrorRate: z.number().min(0).max(1).optional(),
    minThroughput: z.number().min(0).optional(),
  })
  .strict();

export const sloOptions = z.object({ thresholds: z.record(z.string(), threshold).default({}) }).strict();
export type SloOptions = z.input<typeof sloOptions>;
type Threshold = z.output<typeof threshold>;

export interface PhaseNumbers {
  requests: number;
  ok: number;
  fail: number;
  info: number;
  dropped: number;
  errorRate: number;
  /** Requests/s completed over the phase window, and the ok ones; null without a duration. */
  throughput: number | null;
  goodput: number | null;
  durationMs: number | null;
  p50: number;
  p90: number;
  p99: number;
  p999: number;
  max: number;
  mean: number;
  /** Latencies recorded at a bound of the histogram range (normally 0: see metrics/histogram.ts). */
  clamped: number;
}

export interface SloViolation {
  phase: string;
  metric: string;
  value: number | null;
  limit: number;
}

export interface SloAnalysis {
  phases: Record<string, PhaseNumbers>;
  overall: PhaseNumbers | null;
  violations: SloViolation[];
  unknown: SloViolation[];
  judged: number;
}

function numbers(
  latency: LatencyHistogram,
  counters: PhaseMetrics<LatencyHistogram>['counters'],
  completed: number,
  completedOk: number,
  durationMs: number | null,
  clamped: number,
): PhaseNumbers {
  const l = summarize(latency);
  const perSec = (n: number) => (durationMs ? r3(n / (durationMs / 1000)) : null);
  return {
    requests: totalOf(counters),
    ok: counters.ok,
    fail: counters.fail,
    info: counters.info,
    dropped: counters.dropped,
    errorRate: errorRateOf(counters),
    throughput: perSec(completed),
    goodput: perSec(completedOk),
    durationMs,
    p50: l.p50,
    p90: l.p90,
    p99: l.p99,
    p999: l.p999,
    max: l.max,
    mean: r3(l.mean),
    clamped,
  };
}

function sum(
  list: readonly PhaseMetrics<LatencyHistogram>[],
  f: (b: PhaseMetrics<LatencyHistogram>['buckets'][number]) => number,
) {
  return list.reduce((n, p) => n + p.buckets.reduce((m, b) => m + f(b), 0), 0);
}

function durationOf(run: PhaseRun, p: PhaseMetrics<LatencyHistogram>): number | null {
  const fromWindow = phaseDurationMs(run, p.phase);
  if (fromWindow) return fromWindow;
  const first = p.buckets[0];
  const last = p.buckets.at(-1);
  return first && last ? (last.index - first.index + 1) * run.metrics.bucketWidthMs : null;
}

/** What per-phase numbers need of a run: its phase windows and metrics (a report has just these). */
type PhaseRun = Pick<RunRecord, 'phases' | 'metrics'>;

export function phaseNumbers(run: PhaseRun): Pick<SloAnalysis, 'phases' | 'overall'> {
  const phases: Record<string, PhaseNumbers> = {};
  const all = run.metrics.phases;
  for (const p of all) {
    const clamped = p.clamped.latency.low + p.clamped.latency.high;
    phases[p.phase] = numbers(
      p.latency,
      p.counters,
      sum([p], (b) => b.completed),
      sum([p], (b) => b.completedOk),
      durationOf(run, p),
      clamped,
    );
  }
  if (all.length === 0) return { phases, overall: null };
  const durations = all.map((p) => durationOf(run, p));
  const total = durations.every((d) => d !== null)
    ? durations.reduce<number>((a, d) => a + (d ?? 0), 0)
    : null;
  const overall = numbers(
    mergeHistograms(all.map((p) => p.latency)),
    mergeCounters(all.map((p) => p.counters)),
    sum(all, (b) => b.completed),
    sum(all, (b) => b.completedOk),
    total,
    all.reduce((n, p) => n + p.clamped.latency.low + p.clamped.latency.high, 0),
  );
  return { phases, overall };
}

const LIMITS: [keyof Threshold, keyof PhaseNumbers, 'max' | 'min'][] = [
  ['p50Ms', 'p50', 'max'],
  ['p90Ms', 'p90', 'max'],
  ['p99Ms', 'p99', 'max'],
  ['p999Ms', 'p999', 'max'],
  ['maxMs', 'max', 'max'],
  ['maxErrorRate', 'errorRate', 'max'],
  ['minThroughput', 'throughput', 'min'],
];

export function analyzeSlo(run: RunRecord, options?: SloOptions): SloAnalysis {
  const opts = parseOptions('slo', sloOptions, options);
  const { phases, overall } = phaseNumbers(run);
  const names = run.phases.length ? run.phases.map((p) => p.name) : Object.keys(phases);
  const every = opts.thresholds['*'];
  const targets = new Set([
    ...(every ? names : []),
    ...Object.keys(opts.thresholds).filter((k) => k !== '*'),
  ]);
  const violations: SloViolation[] = [];
  const unknown: SloViolation[] = [];
  let judged = 0;
  for (const phase of targets) {
    const limits: Threshold = { ...every, ...opts.thresholds[phase] };
    const n = phases[phase];
    for (const [option, metric, kind] of LIMITS) {
      const limit = limits[option];
      if (limit === undefined) continue;
      judged++;
      const value = n ? (n[metric] as number | null) : null;
      if (value === null || !n || n.requests === 0) unknown.push({ phase, metric, value, limit });
      else if (kind === 'max' ? value > limit : value < limit)
        violations.push({ phase, metric, value, limit });
    }
  }
  return { phases, overall, violations, unknown, judged };
}

function describe(v: SloViolation): string {
  const f = (x: number) =>
    v.metric === 'errorRate' ? fmtPct(x) : v.metric === 'throughput' ? `${x}/s` : `${x} ms`;
  return `${v.metric} ${v.value === null ? 'n/a' : f(v.value)} during ${v.phase} (limit ${f(v.limit)})`;
}

export function sloChecker(options?: SloOptions): Checker {
  const opts = parseOptions('slo', sloOptions, options);
  return {
    name: 'slo',
    check(run: RunRecord): CheckResult {
      const a = analyzeSlo(run, opts);
      const shown = bounded(a.violations);
      const evidence = {
        ...a,
        violations: shown.items,
        omittedViolations: shown.omitted,
        thresholds: opts.thresholds,
      };
      const base = { checker: 'slo', unit: 'count' as const, value: a.violations.length, evidence };
      if (a.violations.length) {
        return {
          ...base,
          valid: false,
          summary: `${a.violations.length} of ${a.judged} thresholds violated: ${a.violations.slice(0, 3).map(describe).join('; ')}${a.violations.length > 3 ? '; …' : ''}`,
        };
      }
      if (a.judged === 0)
        return { ...base, valid: 'unknown', summary: 'no SLO thresholds set (numbers only)' };
      if (a.unknown.length) {
        return {
          ...base,
          valid: 'unknown',
          summary: `no metrics to judge ${[...new Set(a.unknown.map((u) => u.phase))].join(', ')}`,
        };
      }
      return { ...base, valid: true, summary: `all ${a.judged} thresholds held` };
    },
  };
}
