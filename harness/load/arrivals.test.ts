import assert from 'node:assert/strict';
import { seededRandom } from '../core/random.ts';
import { poissonArrivals, rampingArrivals, uniformArrivals } from './arrivals.ts';
import { zipf } from './zipf.ts';

describe('arrival schedules (absolute, open-loop)', () => {
  it('uniform: rate x duration arrivals, exactly 1/rate apart, from the start time', () => {
    const times = [...uniformArrivals(200, 2000, 100)];
    assert.equal(times.length, 400);
    assert.equal(times[0], 100);
    assert.ok(times.every((t, i) => i === 0 || Math.abs(t - (times[i - 1] as number) - 5) < 1e-9));
  });

  it('poisson: the mean rate holds (±5% over 10,000 arrivals) and a seed reproduces the schedule', () => {
    const times = [...poissonArrivals(1000, 10_000, seededRandom(7))];
    assert.ok(Math.abs(times.length - 10_000) < 500, `got ${times.length}`);
    assert.deepEqual(
      [...poissonArrivals(50, 1000, seededRandom(7))],
      [...poissonArrivals(50, 1000, seededRandom(7))],
    );
    assert.notDeepEqual(
      [...poissonArrivals(50, 1000, seededRandom(7))],
      [...poissonArrivals(50, 1000, seededRandom(8))],
    );
  });

  it('ramping: the count is the integral of the rate, and arrivals get denser as the rate climbs', () => {
    const times = [
      ...rampingArrivals(0, [
        { target: 100, durationMs: 2000 },
        { target: 100, durationMs: 1000 },
      ]),
    ];
    assert.equal(times.length, 100 + 100, '0→100 over 2 s is 100, then 100/s for 1 s');
    assert.ok(times.every((t, i) => i === 0 || t > (times[i - 1] as number)));
    const firstSecond = times.filter((t) => t < 1000).length;
    assert.ok(
      Math.abs(firstSecond - 25) <= 1,
      `a quarter of the ramp's arrivals fall in its first half (got ${firstSecond})`,
    );
  });
});

describe('zipf key popularity', () => {
  it('is seeded, stays within 1..n, and favours the first keys (k=1 about twice k=2)', () => {
    const pick = zipf(1000, 1, seededRandom(3));
    const counts = new Map<number, number>();
    for (let i = 0; i < 50_000; i++) {
      const k = pick();
      assert.ok(k >= 1 && k <= 1000);
      counts.set(k, (counts.get(k) ?? 0) + 1);
    }
    const ratio = (counts.get(1) ?? 0) / (counts.get(2) ?? 1);
    assert.ok(ratio > 1.7 && ratio < 2.3, `ratio ${ratio}`);
    const again = zipf(1000, 1, seededRandom(3));
    const first = zipf(1000, 1, seededRandom(3));
    assert.deepEqual(Array.from({ length: 20 }, again), Array.from({ length: 20 }, first));
  });
});
