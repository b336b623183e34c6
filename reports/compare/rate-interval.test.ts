import assert from 'node:assert/strict';
import { rateInterval } from './rate-interval.ts';
import { judgeMetric, judgeSampled, noiseModel, spreadOf } from './regression.ts';
import type { Spread } from './types.ts';

describe('error-rate intervals (Wilson score, 95 %)', () => {
  it('matches the textbook values: 5 of 100 → 2.15 %–11.18 %; none of 900 still allows 0.43 %', () => {
    const five = rateInterval(5, 100);
    assert.ok(five);
    assert.equal(five.lo.toFixed(4), '0.0215');
    assert.equal(five.hi.toFixed(4), '0.1118');
    assert.deepEqual(rateInterval(0, 900)?.lo, 0);
    assert.equal(rateInterval(0, 900)?.hi.toFixed(4), '0.0043');
    assert.equal(rateInterval(900, 900)?.hi, 1);
    assert.equal(rateInterval(0, 0), null);
  });

  it('one error more per run is not a regression: 5 of 360 vs 1 of 360, though the runs alone say so', () => {
    // Three runs of 120 requests a side: errors 0, 0, 1 against 2, 2, 1.
    const runs = (...errors: number[]) => spreadOf(errors.map((k) => k / 120)) as Spread;
    const [b, c] = [runs(0, 0, 1), runs(2, 2, 1)];
    const model = noiseModel(3, 3);
    assert.equal(judgeMetric(b, c, 'higher-is-worse', 'ratio', model, String).status, 'regressed');
    const intervals = {
      baseline: rateInterval(1, 360) as { lo: number; hi: number },
      candidate: rateInterval(5, 360) as { lo: number; hi: number },
    };
    const v = judgeSampled(b, c, intervals, 'higher-is-worse', 'ratio', model, String);
    assert.equal(v.status, 'unchanged');
    assert.match(v.reason, /within the sampling noise/);
    // Ten times the errors is clear of the noise: 15 of 360.
    intervals.candidate = rateInterval(15, 360) as { lo: number; hi: number };
    assert.equal(
      judgeSampled(b, runs(5, 5, 5), intervals, 'higher-is-worse', 'ratio', model, String).status,
      'regressed',
    );
  });
});
