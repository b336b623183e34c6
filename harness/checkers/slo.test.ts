import assert from 'node:assert/strict';
import { analyzeSlo, sloChecker } from './slo.ts';
import { dropped, every, failed, ok, record } from './testing.ts';

// HdrHistogram percentiles are bucket bounds: at most 0.1 % above the recorded value.
const near = (actual: number | undefined, expected: number) =>
  assert.ok(
    actual !== undefined && actual >= expected && actual <= expected * 1.001,
    `${actual} ≈ ${expected} (+0.1 %)`,
  );

/** 10 requests/s for 30 s: 10 ms in the baseline; during the fault 800 ms for every tenth, 1 in 20 failing. */
function run() {
  const samples = every(0, 30_000, 100, (t) => {
    if (t < 10_000 || t >= 20_000) return ok(t, {}, 10);
    const slot = (t / 100) % 20;
    if (slot === 0) return failed(t, {}, 20);
    return ok(t, {}, slot % 10 === 5 ? 800 : 10);
  });
  samples.push(dropped(15_050));
  return record({ samples });
}

describe('checkers/slo', () => {
  it('computes latency percentiles, error rate and throughput per phase and overall from the metrics', () => {
    const a = analyzeSlo(run());
    const fault = a.phases.fault;
    assert.ok(fault);
    assert.deepEqual(
      [fault.requests, fault.ok, fault.fail, fault.dropped, fault.durationMs],
      [101, 95, 5, 1, 10_000],
    );
    assert.equal(fault.errorRate, 6 / 101);
    assert.equal(fault.throughput, 10, '100 sent requests completed in 10 s');
    assert.equal(fault.goodput, 9.5);
    near(fault.p50, 10);
    near(fault.p99, 800);
    near(fault.max, 800);
    near(a.phases.baseline?.p99, 10);
    assert.equal(a.phases.baseline?.errorRate, 0);
    assert.equal(a.overall?.requests, 301);
    assert.equal(a.overall?.throughput, 10);
    assert.equal(a.overall?.durationMs, 30_000);
  });

  it('is unknown without thresholds (numbers only)', () => {
    const result = sloChecker().check(run());
    assert.equal(result.valid, 'unknown');
    assert.match(result.summary, /no SLO thresholds/);
  });

  it('judges thresholds per phase; "*" applies to every phase and a named phase overrides it', () => {
    const options = {
      thresholds: {
        '*': { p99Ms: 250, maxErrorRate: 0.01, minThroughput: 9 },
        fault: { p99Ms: '1s', maxErrorRate: 0.1 },
      },
    };
    const result = sloChecker(options).check(run());
    assert.equal(result.valid, true, result.summary);
    assert.equal(result.value, 0);
    assert.match(result.summary, /all 9 thresholds held/);

    const tight = sloChecker({ thresholds: { '*': { p99Ms: 250, maxErrorRate: 0.01 } } }).check(run());
    assert.equal(tight.valid, false);
    assert.equal(tight.value, 2);
    assert.deepEqual(
      (tight.evidence.violations as { phase: string; metric: string }[]).map((v) => [v.phase, v.metric]),
      [
        ['fault', 'p99'],
        ['fault', 'errorRate'],
      ],
    );
    assert.match(
      tight.summary,
      /2 of 6 thresholds violated: p99 80\d(\.\d+)? ms during fault \(limit 250 ms\)/,
    );
  });

  it('is unknown for a thresholded phase without metrics', () => {
    const result = sloChecker({ thresholds: { chaos: { maxErrorRate: 0.01 } } }).check(run());
    assert.equal(result.valid, 'unknown');
    assert.match(result.summary, /chaos/);
  });
});
