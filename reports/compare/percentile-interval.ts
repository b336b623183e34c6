/**
 * How far a percentile measured from n requests can be trusted, without assuming a distribution:
 * the order-statistic confidence interval. Of n independent samples, the number B at or below the
 * true q-quantile is Binomial(n, q), whatever the latencies look like, so the sorted samples
 * x(lo) ≤ x(hi) cover it with probability ≥ 95 % when P(B < lo) ≤ 2.5 % and P(B ≥ hi) ≤ 2.5 %.
 *
 * The interval is bounded by recorded samples (1 ≤ lo, hi ≤ n) only when max(q, 1 − q)^n ≤ 2.5 %:
 * p50 needs n ≥ 6, p99 n ≥ 368, p99.9 n ≥ 3688. With fewer, the data cannot say how high the
 * percentile is: for p99 of 200 requests (2 beyond it) the interval runs past the maximum. With
 * n = 1000, p99's interval is x(983)…x(997): it spans p98.3–p99.7.
 *
 * regression.ts has the rule built on it and the bootstrap on real latency that checked it.
 */
import type { LatencyHistogram } from '../../harness/metrics/histogram.ts';
import type { SampleInterval } from './types.ts';

const CONFIDENCE = 0.95;
const TAIL = (1 - CONFIDENCE) / 2;

/** Requests a percentile needs before its interval is bounded by recorded samples. */
export function minimumSamples(quantile: number): number {
  return Math.ceil(Math.log(TAIL) / Math.log(Math.max(quantile, 1 - quantile)));
}

/** The 1-based ranks of the interval's ends among n sorted samples, or null when n is too few. */
export function rankInterval(n: number, quantile: number): { lo: number; hi: number } | null {
  if (n < minimumSamples(quantile)) return null;
  // Binomial(n, q) probabilities in logs (they underflow as plain numbers for large n), summed from
  // each end inwards until a tail would exceed 2.5 %.
  const odds = Math.log(quantile / (1 - quantile));
  let logP = n * Math.log(1 - quantile); // P(B = 0)
  let below = 0;
  let lo = 0;
  while (below + Math.exp(logP) <= TAIL) {
    below += Math.exp(logP);
    lo += 1;
    logP += Math.log((n - lo + 1) / lo) + odds;
  }
  logP = n * Math.log(quantile); // P(B = n)
  let above = 0;
  let hi = n;
  while (above + Math.exp(logP) <= TAIL) {
    above += Math.exp(logP);
    logP += Math.log(hi / (n - hi + 1)) - odds;
    hi -= 1;
  }
  return { lo, hi: hi + 1 };
}

/** The interval of a histogram's quantile, in ms (HdrHistogram bucket values), or null. */
export function percentileInterval(histogram: LatencyHistogram, quantile: number): SampleInterval | null {
  const n = histogram.totalCount;
  const ranks = rankInterval(n, quantile);
  if (!ranks) return null;
  // The value at rank r: half a rank below it, so HdrHistogram's rounding up lands on r exactly.
  const at = (rank: number) => histogram.getValueAtPercentile((100 * (rank - 0.5)) / n) / 1000;
  return { lo: at(ranks.lo), hi: at(ranks.hi) };
}
