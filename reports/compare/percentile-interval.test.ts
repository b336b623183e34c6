import assert from 'node:assert/strict';
import { createHistogram, type LatencyHistogram, recordMs } from '../../harness/metrics/histogram.ts';
import { loadFixture } from './fixtures.ts';
import { minimumSamples, percentileInterval, rankInterval } from './percentile-interval.ts';
import { prepareRun } from './prepare.ts';
import { mergedPhase } from './spectra.ts';

describe('percentile intervals: how many requests a percentile needs', () => {
  it('the fewest requests whose 95 % interval is bounded by recorded samples: p50 6, p99 368, p99.9 3688', () => {
    assert.deepEqual([0.5, 0.99, 0.999].map(minimumSamples), [6, 368, 3688]);
    // One fewer and the interval would reach past the maximum (or below the minimum).
    assert.equal(rankInterval(367, 0.99), null);
    assert.equal(rankInterval(5, 0.5), null);
    assert.deepEqual(rankInterval(368, 0.99), { lo: 360, hi: 368 });
    assert.deepEqual(rankInterval(6, 0.5), { lo: 1, hi: 6 });
  });

  it('ranks match the exact binomial interval (checked independently)', () => {
    // From Python: max l with P(B < l) ≤ 2.5 %, min u with P(B ≥ u) ≤ 2.5 %, B ~ Binomial(n, q).
    assert.deepEqual(rankInterval(1000, 0.99), { lo: 983, hi: 997 });
    assert.deepEqual(rankInterval(900, 0.99), { lo: 885, hi: 897 });
    assert.deepEqual(rankInterval(600, 0.99), { lo: 589, hi: 599 });
    assert.deepEqual(rankInterval(20, 0.5), { lo: 6, hi: 15 });
    assert.deepEqual(rankInterval(180, 0.5), { lo: 77, hi: 104 });
    assert.deepEqual(rankInterval(5000, 0.999), { lo: 4990, hi: 5000 });
  });

  it('reads the ranks off a histogram: 1 … 1000 ms recorded once each → p99 in [983, 997] ms', () => {
    const h = createHistogram();
    for (let ms = 1; ms <= 1000; ms++) recordMs(h, ms);
    const interval = percentileInterval(h, 0.99);
    assert.ok(interval);
    // HdrHistogram values are bucket bounds, at most 0.1 % above the recorded value.
    assert.ok(Math.abs(interval.lo - 983) <= 1 && Math.abs(interval.hi - 997) <= 1, JSON.stringify(interval));
    const few = createHistogram();
    for (let ms = 1; ms <= 367; ms++) recordMs(few, ms);
    assert.equal(percentileInterval(few, 0.99), null);
  });

  it('on real runs: one run’s 300 fault requests are too few for p99; three merged bracket it', async () => {
    const runs = (await loadFixture('baseline')).map((x) => prepareRun(x.result, x.path));
    const single = mergedPhase(runs.slice(0, 1), 'fault');
    assert.equal(single?.totalCount, 300);
    assert.equal(percentileInterval(single as LatencyHistogram, 0.99), null);
    const merged = mergedPhase(runs, 'fault') as LatencyHistogram;
    assert.equal(merged.totalCount, 900);
    for (const q of [0.5, 0.99]) {
      const interval = percentileInterval(merged, q);
      const value = merged.getValueAtPercentile(q * 100) / 1000;
      assert.ok(
        interval && interval.lo <= value && value <= interval.hi,
        JSON.stringify({ q, interval, value }),
      );
    }
  });
});
