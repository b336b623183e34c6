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
 */
import type { Direction, MetricStatus, MetricUnit, NoiseModel, Spread } from './types.ts';

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
