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
import { durationSchema } from '../core/duration.ts';
import { type PhaseNumbers, phaseNumbers } from '../metrics/phase-numbers.ts';
import { type Checker, type CheckResult, defineChecker, type RunRecord } from './checker.ts';
import { bounded, fmtPct, parseOptions, zNum, zNumOrNull } from './support.ts';

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

const phaseNumbersEvidence = z.object({
  requests: zNum,
  errorRate: zNum,
  throughput: zNumOrNull,
  p50: zNum,
  p99: zNum,
  max: zNum,
});

export const slo = defineChecker({
  name: 'slo',
  options: sloOptions,
  evidence: z.object({
    phases: z.record(z.string(), phaseNumbersEvidence),
    violations: z.array(z.object({ phase: z.string(), metric: z.string(), value: zNumOrNull, limit: zNum })),
    thresholds: z.record(z.string(), z.record(z.string(), zNum)).optional(),
  }),
  // The number of thresholds violated.
  value: { unit: 'count', better: 'lower' },
  analyze: analyzeSlo,
  // The latency, error-rate and throughput metrics are every run's (load-metrics.ts), thresholds or not.
  metrics: {},
  create: sloChecker,
});
