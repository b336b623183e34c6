/**
 * The key metrics, side by side: p50 / p99 / p99.9, error rate and throughput per phase (from the
 * decoded histograms and counters, as the hypotheses measure them) and each checker's headline value,
 * each judged by the regression rule where that is meaningful.
 */

import { checkerDefinitions } from '../../harness/checkers/registry.ts';
import type { LatencyHistogram } from '../../harness/metrics/histogram.ts';
import { minimumSamples, percentileInterval } from './percentile-interval.ts';
import type { PreparedRun } from './prepare.ts';
import { rateInterval } from './rate-interval.ts';
import { judgeMetric, judgeSampled, spreadOf } from './regression.ts';
import { mergedPhase } from './spectra.ts';
import type { Direction, MetricComparison, MetricUnit, NoiseModel, Spread } from './types.ts';

/** Warm-up numbers are shown, not judged: cold caches, JIT and connection setup dominate them. */
export const UNJUDGED_PHASES: readonly string[] = ['warmup'];

/**
 * Which way each checker's headline value is bad, as each checker declares it (its `value.better`).
 * A checker not registered is shown without a verdict.
 */
export const CHECKER_DIRECTIONS: Readonly<Record<string, Direction>> = Object.freeze(
  Object.fromEntries(
    Object.values(checkerDefinitions).map((d): [string, Direction] => [
      d.name,
      d.value.better === 'lower' ? 'higher-is-worse' : 'lower-is-worse',
    ]),
  ),
);

const PERCENTILES = [
  { key: 'p50', label: 'p50', quantile: 0.5 },
  { key: 'p99', label: 'p99', quantile: 0.99 },
  { key: 'p999', label: 'p99.9', quantile: 0.999 },
] as const;

/** "p50 6, p99 368, p99.9 3688": the requests each percentile needs for a verdict, for help texts. */
export const PERCENTILE_SAMPLES = PERCENTILES.map((p) => `${p.label} ${minimumSamples(p.quantile)}`).join(
  ', ',
);

export function formatValue(unit: MetricUnit, v: number): string {
  if (!Number.isFinite(v)) return String(v);
  switch (unit) {
    case 'ms':
      return `${v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2)} ms`;
    case 'ratio':
      return `${+(v * 100).toFixed(2)} %`;
    case 'per-second':
      return `${v.toFixed(1)}/s`;
    case 'count':
      return String(+v.toFixed(2));
  }
}

/**
 * The change of a metric's median, e.g. "+12.5 ms (+13.3 %)"; "(from 0)" when the baseline was 0.
 * `minus` is "−" in HTML and "-" in a terminal (greppable, plain ASCII).
 */
export function formatDelta(m: MetricComparison, minus = '−'): string {
  if (m.delta === null) return '—';
  const sign = m.delta > 0 ? '+' : m.delta < 0 ? minus : '±';
  const rel =
    m.relative === null
      ? ''
      : Number.isFinite(m.relative)
        ? ` (${sign}${Math.abs(m.relative * 100).toFixed(1)} %)`
        : ' (from 0)';
  return `${sign}${formatValue(m.unit, Math.abs(m.delta))}${rel}`;
}

function phasesOf(runs: readonly PreparedRun[]): string[] {
  const names: string[] = [];
  for (const run of runs) {
    for (const p of run.snapshot.phases) if (!names.includes(p.phase)) names.push(p.phase);
  }
  return names;
}

interface Candidate {
  id: string;
  label: string;
  group: MetricComparison['group'];
  phase?: string;
  unit: MetricUnit;
  direction: Direction | null;
  value: (run: PreparedRun) => number | undefined;
  /** Why it is not judged, whatever the numbers (undefined: judge it). */
  skip: (baseline: readonly PreparedRun[], candidate: readonly PreparedRun[]) => string | undefined;
  /** Percentiles and error rates: the requests behind them and their sampling intervals (regression.ts). */
  samples?: NonNullable<MetricComparison['samples']>;
}

/** Each side's phase, its runs merged: what the sampling noise of percentiles and error rates is read from. */
interface Merged {
  baseline: LatencyHistogram | null;
  candidate: LatencyHistogram | null;
  counts: { baseline: ErrorCount; candidate: ErrorCount };
}

interface ErrorCount {
  errors: number;
  requests: number;
}

function errorCount(runs: readonly PreparedRun[], phase: string): ErrorCount {
  let errors = 0;
  let requests = 0;
  for (const run of runs) {
    const n = run.numbers[phase];
    if (!n) continue;
    errors += n.fail + n.info + n.dropped; // as errorRate counts them (harness/checkers/slo.ts)
    requests += n.requests;
  }
  return { errors, requests };
}

/** An error rate has an interval from its first request on: no minimum count. */
function errorRateSamples(counts: Merged['counts']): Candidate['samples'] {
  const baseline = rateInterval(counts.baseline.errors, counts.baseline.requests);
  const candidate = rateInterval(counts.candidate.errors, counts.candidate.requests);
  if (!baseline || !candidate) return undefined;
  return {
    n: Math.min(counts.baseline.requests, counts.candidate.requests),
    needed: 1,
    intervals: { baseline, candidate },
  };
}

function percentileSamples(merged: Merged, quantile: number): Candidate['samples'] {
  if (!merged.baseline || !merged.candidate) return undefined;
  const n = Math.min(merged.baseline.totalCount, merged.candidate.totalCount);
  const baseline = percentileInterval(merged.baseline, quantile);
  const candidate = percentileInterval(merged.candidate, quantile);
  return {
    n,
    needed: minimumSamples(quantile),
    intervals: baseline && candidate ? { baseline, candidate } : null,
  };
}

function phaseMetrics(phase: string, merged: Merged): Candidate[] {
  const unjudged = UNJUDGED_PHASES.includes(phase)
    ? () => `${phase} is not judged (cold caches and connections)`
    : () => undefined;
  const requests = (run: PreparedRun) => run.numbers[phase]?.requests ?? 0;
  const latency: Candidate[] = PERCENTILES.map(({ key, label, quantile }) => {
    const samples = percentileSamples(merged, quantile);
    return {
      id: `${phase}.${key}`,
      label: `${label} during ${phase}`,
      group: 'latency',
      phase,
      unit: 'ms',
      direction: 'higher-is-worse',
      value: (run) => (requests(run) ? run.numbers[phase]?.[key] : undefined),
      skip: unjudged,
      ...(samples ? { samples } : {}),
    };
  });
  const rates = errorRateSamples(merged.counts);
  return [
    ...latency,
    {
      id: `${phase}.error-rate`,
      label: `error rate during ${phase}`,
      group: 'errors',
      phase,
      unit: 'ratio',
      direction: 'higher-is-worse',
      value: (run) => (requests(run) ? run.numbers[phase]?.errorRate : undefined),
      skip: unjudged,
      ...(rates ? { samples: rates } : {}),
    },
    {
      id: `${phase}.throughput`,
      label: `throughput during ${phase}`,
      group: 'throughput',
      phase,
      unit: 'per-second',
      direction: 'lower-is-worse',
      value: (run) => run.numbers[phase]?.throughput ?? undefined,
      skip: unjudged,
    },
  ];
}

const UNITS: readonly MetricUnit[] = ['ms', 'ratio', 'count'];

function checkerMetrics(runs: readonly PreparedRun[]): Candidate[] {
  const names: string[] = [];
  for (const run of runs) {
    for (const c of run.result.checks) {
      if (c.value !== undefined && !names.includes(c.checker)) names.push(c.checker);
    }
  }
  return names.map((name) => {
    const unit = runs.flatMap((r) => r.result.checks).find((c) => c.checker === name)?.unit;
    const direction = Object.hasOwn(CHECKER_DIRECTIONS, name)
      ? (CHECKER_DIRECTIONS[name] as Direction)
      : null;
    return {
      id: `check.${name}`,
      label: `${name} (checker)`,
      group: 'checker',
      unit: unit && UNITS.includes(unit) ? unit : 'count',
      direction,
      value: (run) => run.result.checks.find((c) => c.checker === name)?.value,
      skip: () => (direction ? undefined : 'no known direction for this checker’s value'),
    };
  });
}

function spread(
  runs: readonly PreparedRun[],
  value: (run: PreparedRun) => number | undefined,
): Spread | null {
  return spreadOf(runs.map(value).filter((v): v is number => v !== undefined));
}

export function compareMetrics(
  baseline: readonly PreparedRun[],
  candidate: readonly PreparedRun[],
  model: NoiseModel,
): MetricComparison[] {
  const all = [...baseline, ...candidate];
  const phases = phasesOf(all).flatMap((phase) =>
    phaseMetrics(phase, {
      baseline: mergedPhase(baseline, phase),
      candidate: mergedPhase(candidate, phase),
      counts: { baseline: errorCount(baseline, phase), candidate: errorCount(candidate, phase) },
    }),
  );
  const candidates = [...phases, ...checkerMetrics(all)];
  return candidates.map((m) => {
    const b = spread(baseline, m.value);
    const c = spread(candidate, m.value);
    const delta = b && c ? c.median - b.median : null;
    const relative =
      delta === null || !b
        ? null
        : b.median === 0
          ? delta === 0
            ? 0
            : Number.POSITIVE_INFINITY
          : delta / Math.abs(b.median);
    const base = {
      id: m.id,
      label: m.label,
      group: m.group,
      ...(m.phase ? { phase: m.phase } : {}),
      unit: m.unit,
      direction: m.direction,
      baseline: b,
      candidate: c,
      delta,
      relative,
    };
    const skip = m.skip(baseline, candidate);
    if (!b || !c) {
      const side = b ? 'the candidate side' : c ? 'the baseline side' : 'either side';
      return { ...base, status: 'not-judged', reason: `not measured on ${side}` };
    }
    if (skip || !m.direction) return { ...base, status: 'not-judged', reason: skip ?? 'no direction' };
    const format = (v: number) => formatValue(m.unit, v);
    if (!m.samples) return { ...base, ...judgeMetric(b, c, m.direction, m.unit, model, format) };
    const { n, needed, intervals } = m.samples;
    if (!intervals) {
      return {
        ...base,
        samples: m.samples,
        status: 'not-enough-samples',
        reason: `not enough samples (n=${n}, need ≥ ${needed})`,
      };
    }
    return {
      ...base,
      samples: m.samples,
      ...judgeSampled(b, c, intervals, m.direction, m.unit, model, format),
    };
  });
}
