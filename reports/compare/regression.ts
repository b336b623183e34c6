/**
 * The regression rule. A metric regresses only when the candidate is worse by more than run-to-run
 * noise explains:
 *
 * - spread (at least 2 usable runs on each side): the candidate median lies outside the baseline's
 *   [min, max] widened on the bad side by 5 % of the baseline median, AND it is worse than the
 *   baseline median by at least 10 % (relative), AND by at least the unit's floor.
 * - fixed (a single run on either side — no spread to learn from): the candidate median is worse
 *   than the baseline median by at least 25 % AND at least the unit's floor; when the baseline has
 *   several runs, the candidate must also be outside its widened [min, max].
 *
 * Floors (below them a change is not worth a red build): 2 ms, 0.5 percentage points of a ratio,
 * 1 request/s, 1 count. "improved" is the same test in the good direction.
 *
 * Percentiles and error rates also carry sampling noise, which a few runs' [min, max] does not
 * bound: a p99 is decided by the handful of requests beyond it, an error rate of 1 % in 120 requests
 * by one request more or less. So both must also clear their 95 % intervals, each side's runs
 * merged for the phase: the candidate's interval must lie wholly on the bad side of the baseline's.
 * A percentile's interval (percentile-interval.ts) exists only with enough requests — p50 ≥ 6,
 * p99 ≥ 368, p99.9 ≥ 3688 —; with fewer it is "not enough samples", never a verdict. An error
 * rate's (rate-interval.ts) exists from the first request. Throughput keeps the rule above: the
 * generator schedules the arrivals, so it is not a sample of anything; it moves when requests are
 * dropped or the phase is cut, which is what it is there to show.
 *
 * Checked with sampling-bootstrap.ts (2000 draws a row): how often REGRESSED is called when both
 * sides come from the same latencies or rate ("same"), and how often a real change (candidate × 1.3,
 * × 2) is caught. "old": the rule above alone. p99, from the 10,322 real latencies of the committed
 * fixtures' non-warm-up phases without injected latency:
 *
 *   runs × requests | same: old → now        | × 1.3: old → now | × 2: old → now
 *   1 vs 1 × 180    | 39 % → 0 (not enough)  | 51 % → 0         | 75 % → 0
 *   3 vs 3 × 120    | 17 % → 0 (not enough)  | 34 % → 0         | 64 % → 0
 *   3 vs 3 × 300    | 16 % → 0.1 %           | 42 % → 2.5 %     | 83 % → 25 %
 *   3 vs 3 × 750    | 14 % → 0 %             | 51 % → 6.3 %     | 95 % → 71 %
 *   1 vs 1 × 1000   | 22 % → 0.1 %           | 58 % → 1.1 %     | 95 % → 17 %
 *   3 vs 3 × 1000   | 14 % → 0.1 %           | 58 % → 8.6 %     | 98 % → 86 %
 *
 * A sample count alone would not have fixed it: at 1000 requests a run the old rule still calls
 * 14 % of identical pairs regressed. p50 (QUANTILE=0.5) was never called REGRESSED on identical
 * latencies in any row, with or without the interval. Error rate, binomial draws at 1 % (0.5 % and
 * 5 % alike: the old rule 2–29 % on "same", now ≤ 0.3 %):
 *
 *   1 vs 1 × 300    | 24 % → 0 %             | 41 % → 0.1 %     | 66 % → 2.1 %
 *   3 vs 3 × 120    | 11 % → 0.1 %           | 20 % → 0.2 %     | 40 % → 2.4 %
 *   3 vs 3 × 300    | 10 % → 0.1 %           | 25 % → 1.4 %     | 64 % → 13 %
 *   3 vs 3 × 750    | 6.7 % → 0.3 %          | 25 % → 3.0 %     | 86 % → 51 %
 *
 * The price of sound verdicts is power: short phases and single runs show only large changes.
 */
import type { Direction, MetricStatus, MetricUnit, NoiseModel, SampleInterval, Spread } from './types.ts';

export const RULE = {
  spreadWidening: 0.05,
  minRelativeChange: 0.1,
  singleRunRelativeChange: 0.25,
  floors: { ms: 2, ratio: 0.005, 'per-second': 1, count: 1 } satisfies Record<MetricUnit, number>,
} as const;

export function spreadOf(values: readonly number[]): Spread | null {
  const finite = values.filter((v) => Number.isFinite(v));
  if (finite.length === 0) return null;
  const sorted = [...finite].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median =
    sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
  return { values: finite, median, min: sorted[0] as number, max: sorted.at(-1) as number };
}

export function noiseModel(baselineRuns: number, candidateRuns: number): NoiseModel {
  if (baselineRuns >= 2 && candidateRuns >= 2) {
    return {
      kind: 'spread',
      description: `repeat runs (${baselineRuns} baseline, ${candidateRuns} candidate): a metric regresses when the candidate median is outside the baseline's [min, max] widened by ${pct(RULE.spreadWidening)} of its median, and at least ${pct(RULE.minRelativeChange)} and ${floorsText()} worse`,
    };
  }
  return {
    kind: 'fixed',
    description: `single run on ${baselineRuns < 2 ? 'the baseline' : 'the candidate'} side, so no measured noise: a metric regresses only when at least ${pct(RULE.singleRunRelativeChange)} and ${floorsText()} worse (run with --repeat 3 for a noise-aware verdict)`,
  };
}

function pct(x: number): string {
  return `${Math.round(x * 100)} %`;
}

function floorsText(): string {
  const f = RULE.floors;
  return `${f.ms} ms / ${f.ratio * 100} points / ${f['per-second']} req/s / ${f.count} count`;
}

export interface Verdict {
  status: MetricStatus;
  reason: string;
}

/** Judges one metric by the rule above. */
export function judgeMetric(
  baseline: Spread,
  candidate: Spread,
  direction: Direction,
  unit: MetricUnit,
  model: NoiseModel,
  format: (v: number) => string,
): Verdict {
  const sign = direction === 'higher-is-worse' ? 1 : -1;
  const base = baseline.median;
  // > 0: worse by that much, < 0: better.
  const worseBy = sign * (candidate.median - base);
  const relative = base === 0 ? (worseBy === 0 ? 0 : Number.POSITIVE_INFINITY) : Math.abs(worseBy / base);
  const floor = RULE.floors[unit];
  const widen = RULE.spreadWidening * Math.abs(base);
  const hasSpread = baseline.values.length >= 2;
  const low = baseline.min - widen;
  const high = baseline.max + widen;
  const outside = sign > 0 ? candidate.median > high : candidate.median < low;
  const outsideBetter = sign > 0 ? candidate.median < low : candidate.median > high;
  const minRelative = model.kind === 'spread' ? RULE.minRelativeChange : RULE.singleRunRelativeChange;
  const bigEnough = Math.abs(worseBy) >= floor && relative >= minRelative;
  const band = `baseline ${format(baseline.min)}–${format(baseline.max)}`;
  const change = `${worseBy >= 0 ? 'worse' : 'better'} by ${format(Math.abs(worseBy))} (${Number.isFinite(relative) ? pct(relative) : 'from 0'})`;
  if (worseBy > 0 && bigEnough && (outside || !hasSpread)) {
    return {
      status: 'regressed',
      reason: `${change}; ${hasSpread ? `outside ${band}` : 'single baseline run'}`,
    };
  }
  if (worseBy < 0 && bigEnough && (outsideBetter || !hasSpread)) {
    return {
      status: 'improved',
      reason: `${change}; ${hasSpread ? `outside ${band}` : 'single baseline run'}`,
    };
  }
  if (worseBy === 0) return { status: 'unchanged', reason: 'no change' };
  if (!bigEnough) {
    return {
      status: 'unchanged',
      reason: `${change}: under the minimum change (${pct(minRelative)} and ${format(floor)})`,
    };
  }
  return { status: 'unchanged', reason: `${change}: within the noise (${band})` };
}

/**
 * A percentile or an error rate by the rule above, then its sampling noise: a regression (or
 * improvement) stands only when the two sides' 95 % intervals do not overlap in that direction.
 */
export function judgeSampled(
  baseline: Spread,
  candidate: Spread,
  intervals: { baseline: SampleInterval; candidate: SampleInterval },
  direction: Direction,
  unit: MetricUnit,
  model: NoiseModel,
  format: (v: number) => string,
): Verdict {
  const verdict = judgeMetric(baseline, candidate, direction, unit, model, format);
  if (verdict.status !== 'regressed' && verdict.status !== 'improved') return verdict;
  const candidateAbove = (verdict.status === 'regressed') === (direction === 'higher-is-worse');
  const [high, low] = candidateAbove
    ? [intervals.candidate, intervals.baseline]
    : [intervals.baseline, intervals.candidate];
  const apart = high.lo > low.hi;
  const { baseline: b, candidate: c } = intervals;
  const shown = `95 % intervals: baseline ${format(b.lo)}–${format(b.hi)}, candidate ${format(c.lo)}–${format(c.hi)}`;
  if (apart) return { status: verdict.status, reason: `${verdict.reason}; ${shown}` };
  return { status: 'unchanged', reason: `${verdict.reason}, but within the sampling noise (${shown})` };
}
