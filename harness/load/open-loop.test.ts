import assert from 'node:assert/strict';
import { seededRandom } from '../core/random.ts';
import { poissonArrivals, uniformArrivals } from './arrivals.ts';
import { shareOfArrivals } from './open-loop.ts';

describe('a generator thread’s share of the schedule', () => {
  it('three threads’ shares are the schedule dealt out in turn: disjoint, and together all of it', () => {
    const all = [...poissonArrivals(500, 2000, seededRandom(7))];
    const shares = [0, 1, 2].map((index) => [
      ...shareOfArrivals(poissonArrivals(500, 2000, seededRandom(7)), { index, of: 3 }),
    ]);
    assert.deepEqual(
      shares[1],
      all.filter((_, i) => i % 3 === 1),
    );
    assert.deepEqual(
      shares.flat().sort((a, b) => a - b),
      all,
    );
  });

  it('one thread has all of it, and a thread beyond the arrivals has none', () => {
    const all = [...uniformArrivals(10, 300)];
    assert.deepEqual([...shareOfArrivals(uniformArrivals(10, 300), { index: 0, of: 1 })], all);
    assert.deepEqual([...shareOfArrivals(uniformArrivals(10, 300), { index: 4, of: 5 })], []);
  });
});
