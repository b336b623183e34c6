import assert from 'node:assert/strict';
import { judgeMetric, judgeSampled, noiseModel, RULE, spreadOf } from './regression.ts';
import type { Spread } from './types.ts';

const spread = (...values: number[]) => spreadOf(values) as Spread;
const fmt = (v: number) => v.toFixed(3);
const repeats = noiseModel(3, 3);
const single = noiseModel(1, 1);

describe('the regression rule', () => {
  it('spreadOf: median (even and odd counts), min and max, ignoring non-finite values', () => {
    assert.deepEqual(spreadOf([3, 1, 2]), { values: [3, 1, 2], median: 2, min: 1, max: 3 });
    assert.equal(spreadOf([4, 1, 3, 2])?.median, 2.5);
    assert.equal(spreadOf([Number.NaN, Number.POSITIVE_INFINITY]), null);
  });

  it('chooses the spread model only with ≥ 2 runs on each side, and says which', () => {
    assert.equal(repeats.kind, 'spread');
    assert.equal(noiseModel(3, 1).kind, 'fixed');
    assert.equal(noiseModel(1, 3).kind, 'fixed');
    assert.match(single.description, /single run .* 25 %/);
  });

  it('spread: worse beyond max + 5 % of the median and ≥ 10 % and ≥ the floor → regressed', () => {
    const base = spread(100, 104, 110); // median 104, band up to 110 + 5.2 = 115.2
    assert.equal(
      judgeMetric(base, spread(116, 116, 116), 'higher-is-worse', 'ms', repeats, fmt).status,
      'regressed',
    );
    // Inside the widened band, although 10.6 % worse than the median: noise.
    assert.equal(
      judgeMetric(base, spread(115, 115, 115), 'higher-is-worse', 'ms', repeats, fmt).status,
      'unchanged',
    );
  });

  it('spread: outside a tight band but under 10 % worse → unchanged', () => {
    const base = spread(100, 100, 100);
    const v = judgeMetric(base, spread(109, 109, 109), 'higher-is-worse', 'ms', repeats, fmt);
    assert.equal(v.status, 'unchanged');
    assert.match(v.reason, /under the minimum change/);
  });

  it('the absolute floor: 1 ms → 1.9 ms is 90 % worse but under 2 ms', () => {
    const v = judgeMetric(spread(1, 1, 1), spread(1.9, 1.9, 1.9), 'higher-is-worse', 'ms', repeats, fmt);
    assert.equal(v.status, 'unchanged');
    assert.equal(RULE.floors.ms, 2);
  });

  it('lower-is-worse metrics (throughput, hit ratio) regress downwards, improve upwards', () => {
    const base = spread(150, 150, 149);
    assert.equal(
      judgeMetric(base, spread(120, 121, 119), 'lower-is-worse', 'per-second', repeats, fmt).status,
      'regressed',
    );
    assert.equal(
      judgeMetric(base, spread(190, 190, 190), 'lower-is-worse', 'per-second', repeats, fmt).status,
      'improved',
    );
  });

  it('from a zero baseline (error rate 0) the floor decides: 0.4 points unchanged, 2 points regressed', () => {
    const zero = spread(0, 0, 0);
    assert.equal(
      judgeMetric(zero, spread(0.004, 0.004), 'higher-is-worse', 'ratio', repeats, fmt).status,
      'unchanged',
    );
    assert.equal(
      judgeMetric(zero, spread(0.02, 0.02), 'higher-is-worse', 'ratio', repeats, fmt).status,
      'regressed',
    );
  });

  it('fixed (single runs): 25 % and the floor', () => {
    const base = spread(100);
    assert.equal(judgeMetric(base, spread(124), 'higher-is-worse', 'ms', single, fmt).status, 'unchanged');
    assert.equal(judgeMetric(base, spread(126), 'higher-is-worse', 'ms', single, fmt).status, 'regressed');
  });

  it('fixed with a repeated baseline still requires leaving its widened band', () => {
    const model = noiseModel(3, 1);
    const base = spread(100, 150, 200); // median 150, band up to 207.5
    assert.equal(judgeMetric(base, spread(200), 'higher-is-worse', 'ms', model, fmt).status, 'unchanged');
    assert.equal(judgeMetric(base, spread(210), 'higher-is-worse', 'ms', model, fmt).status, 'regressed');
  });
});

describe('sampled metrics (percentiles, error rates): the run-to-run rule, then the sampling intervals', () => {
  const worse = spread(20, 20, 20);
  const base = spread(10, 10.5, 11);
  const judge = (
    b: Spread,
    c: Spread,
    intervals: { baseline: { lo: number; hi: number }; candidate: { lo: number; hi: number } },
  ) => judgeSampled(b, c, intervals, 'higher-is-worse', 'ms', repeats, fmt);

  it('regressed by the runs and the candidate interval wholly above the baseline’s → regressed', () => {
    const v = judge(base, worse, { baseline: { lo: 9, hi: 12 }, candidate: { lo: 18, hi: 23 } });
    assert.equal(v.status, 'regressed');
    assert.match(v.reason, /95 % intervals: baseline 9\.000–12\.000, candidate 18\.000–23\.000$/);
  });

  it('regressed by the runs but the intervals overlap → unchanged, within the sampling noise', () => {
    const v = judge(base, worse, { baseline: { lo: 9, hi: 19 }, candidate: { lo: 18, hi: 40 } });
    assert.equal(v.status, 'unchanged');
    assert.match(v.reason, /^worse by .*, but within the sampling noise \(95 % intervals/);
  });

  it('improved needs the candidate interval wholly below; unchanged stays unchanged whatever the intervals', () => {
    const apart = { baseline: { lo: 18, hi: 23 }, candidate: { lo: 9, hi: 12 } };
    assert.equal(judge(worse, base, apart).status, 'improved');
    assert.equal(judge(worse, base, { ...apart, baseline: { lo: 11, hi: 23 } }).status, 'unchanged');
    assert.deepEqual(
      judge(base, base, apart),
      judgeMetric(base, base, 'higher-is-worse', 'ms', repeats, fmt),
    );
  });

  it('lower-is-worse: a regression needs the candidate interval wholly below', () => {
    const high = spread(0.9, 0.9, 0.9);
    const low = spread(0.5, 0.5, 0.5);
    const sampled = (lo: number, hi: number) =>
      judgeSampled(
        high,
        low,
        { baseline: { lo: 0.85, hi: 0.95 }, candidate: { lo, hi } },
        'lower-is-worse',
        'ratio',
        repeats,
        fmt,
      ).status;
    assert.equal(sampled(0.4, 0.6), 'regressed');
    assert.equal(sampled(0.4, 0.86), 'unchanged');
  });
});
