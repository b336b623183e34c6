import assert from 'node:assert/strict';
import { actuated, every, failed, healed, ok, record, phases as windows } from './testing.ts';
import { analyzeTimeToRecover, timeToRecoverChecker } from './time-to-recover.ts';

const H = 20_000; // healed at the end of the fault phase (buckets of 1 s)

function load(fails: (t: number) => boolean, latency: (t: number) => number = () => 5, to = 30_000) {
  return every(0, to, 50, (t) => (fails(t) ? failed(t, {}, latency(t)) : ok(t, {}, latency(t))));
}

describe('checkers/time-to-recover', () => {
  it('is unknown when no fault was healed', () => {
    const result = timeToRecoverChecker().check(
      record({ samples: load(() => false), events: [actuated(10_000)] }),
    );
    assert.equal(result.valid, 'unknown');
    assert.match(result.summary, /no fault was healed/);
  });

  it('reports the start of the first N holding buckets after the heal, in ms from the heal', () => {
    // Failing from the fault until 2.3 s after the heal: buckets 20, 21, 22 break the SLO.
    const samples = load((t) => t >= 10_000 && t < H + 2300);
    const run = record({ samples, events: [actuated(10_000), healed(H)] });
    const a = analyzeTimeToRecover(run);
    const f = a.faults[0];
    assert.deepEqual([f?.result, f?.recoverMs, f?.bucketsObserved], ['recovered', 3000, 10]);
    assert.deepEqual(
      f?.buckets.slice(0, 4).map((b) => [b.t, b.requests, b.errorRate, b.holds]),
      [
        [20_000, 20, 1, false],
        [21_000, 20, 1, false],
        [22_000, 20, 0.3, false],
        [23_000, 20, 0, true],
      ],
    );
    const result = timeToRecoverChecker({ maxMs: '5s' }).check(run);
    assert.deepEqual([result.valid, result.value, result.unit], [true, 3000, 'ms']);
    assert.match(result.summary, /^recovered 3000 ms after heal \(.*\); limit ≤ 5000 ms$/);
    assert.equal(timeToRecoverChecker({ maxMs: 2000 }).check(run).valid, false);
    // A looser SLO tolerates bucket 22's 30 % errors.
    assert.equal(analyzeTimeToRecover(run, { maxErrorRate: 0.3 }).faults[0]?.recoverMs, 2000);
  });

  it('is 0 when the SLO holds from the bucket the heal falls in', () => {
    const samples = load((t) => t >= 10_000 && t < 20_000);
    const run = record({ samples, events: [actuated(10_000), healed(20_400)] });
    assert.equal(analyzeTimeToRecover(run).faults[0]?.recoverMs, 0);
  });

  it('judges p99 latency when maxP99Ms is given', () => {
    const samples = load(
      () => false,
      (t) => (t < H + 4000 && t >= 10_000 ? 800 : 5),
    );
    const run = record({ samples, events: [actuated(10_000), healed(H)] });
    assert.equal(analyzeTimeToRecover(run).faults[0]?.recoverMs, 0, 'no latency SLO: recovered at once');
    assert.equal(analyzeTimeToRecover(run, { maxP99Ms: '250ms' }).faults[0]?.recoverMs, 4000);
  });

  it('an empty bucket (no load) does not count as holding', () => {
    const samples = load(() => false).filter((s) => s.intendedAt < 21_000 || s.intendedAt >= 22_000);
    const run = record({ samples, events: [actuated(10_000), healed(H)] });
    assert.equal(analyzeTimeToRecover(run).faults[0]?.recoverMs, 2000);
  });

  it('fails when the SLO never holds again during the rest of the run', () => {
    const samples = load((t) => t >= 10_000);
    const run = record({ samples, events: [actuated(10_000), healed(H)] });
    const result = timeToRecoverChecker().check(run);
    assert.equal(result.valid, false);
    assert.equal(result.value, undefined);
    assert.match(result.summary, /never recovered .* in the 10 buckets after healing lb-backend-death:web-2/);
  });

  it('is unknown when the run ends before a recovery could be confirmed', () => {
    // Clean again 1 s before the end: 1 of 3 buckets held when the run stopped.
    const samples = load((t) => t >= 10_000 && t < 29_000);
    const run = record({ samples, events: [actuated(10_000), healed(H)] });
    const result = timeToRecoverChecker().check(run);
    assert.equal(result.valid, 'unknown');
    assert.equal((result.evidence.faults as { result: string }[])[0]?.result, 'too-short');
    // Or healed so late that fewer than N buckets followed.
    const short = record({
      samples: load(
        () => false,
        () => 5,
        21_000,
      ),
      events: [actuated(5_000), healed(19_500)],
      phases: windows(['baseline', 5_000], ['fault', 15_000], ['recovery', 1_000]),
    });
    assert.equal(timeToRecoverChecker().check(short).valid, 'unknown');
  });
});
