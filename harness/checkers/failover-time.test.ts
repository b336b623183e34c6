import assert from 'node:assert/strict';
import { analyzeFailoverTime, failoverTimeChecker } from './failover-time.ts';
import { actuated, dropped, every, failed, healed, ok, record } from './testing.ts';

const A = 10_000; // the fault is actuated at the start of the fault phase

/** Load every 100 ms over the whole run; `fails(t)` says which requests fail. */
function load(fails: (t: number) => boolean, to = 30_000) {
  return every(0, to, 100, (t) =>
    fails(t) ? failed(t, { error: 'ECONNREFUSED', status: undefined }) : ok(t),
  );
}

describe('checkers/failover-time', () => {
  it('is unknown when no fault was actuated', () => {
    const result = failoverTimeChecker().check(record({ samples: load(() => false) }));
    assert.equal(result.valid, 'unknown');
    assert.equal(result.value, undefined);
    assert.match(result.summary, /no fault/);
  });

  it('measures from actuation to the last failure of the window, by intended time', () => {
    // Every other request fails (round robin onto the dead server) for 1.5 s, then all succeed.
    const samples = load((t) => t >= A && t < A + 1500 && (t / 100) % 2 === 0);
    const run = record({ samples, events: [actuated(A), healed(20_000)] });
    const a = analyzeFailoverTime(run);
    const w = a.faults[0];
    assert.ok(w);
    assert.deepEqual(
      [w.failoverMs, w.settled, w.failures, w.firstFailureMs, w.lastFailureDoneMs, w.healedAt],
      [1400, true, 8, 0, 1405, 20_000],
    );
    assert.deepEqual(w.byCause, { ECONNREFUSED: 8 });
    assert.equal(w.samples.length, 8);

    const result = failoverTimeChecker({ maxMs: '2s' }).check(run);
    assert.deepEqual([result.valid, result.value, result.unit], [true, 1400, 'ms']);
    assert.match(
      result.summary,
      /failover 1400 ms after lb-backend-death:web-2 \(limit ≤ 2000 ms\), 8 failed/,
    );
    assert.equal(failoverTimeChecker({ maxMs: 1000 }).check(run).valid, false);
  });

  it('is 0 when nothing failed after the fault', () => {
    const run = record({ samples: load(() => false), events: [actuated(A)] });
    const result = failoverTimeChecker().check(run);
    assert.deepEqual([result.valid, result.value], [true, 0]);
  });

  it('does not attribute a failure more than settleMs after the window to the outage', () => {
    const samples = load((t) => (t >= A && t <= A + 500) || t === A + 5000);
    const run = record({ samples, events: [actuated(A)] });
    assert.equal(analyzeFailoverTime(run).faults[0]?.failoverMs, 500);
    // With a longer settle period the later failure is part of the same outage.
    assert.equal(analyzeFailoverTime(run, { settleMs: '5s' }).faults[0]?.failoverMs, 5000);
  });

  it('counts a request in flight at actuation, and dropped requests, as failures', () => {
    const samples = [
      ...load(() => false).filter((s) => s.intendedAt !== 9900 && s.intendedAt !== 10_300),
      failed(9900, { error: 'ECONNRESET', status: undefined }, 150), // sent before A, reset after
      dropped(10_300),
    ];
    const w = analyzeFailoverTime(record({ samples, events: [actuated(A)] })).faults[0];
    assert.deepEqual([w?.failures, w?.failoverMs, w?.byCause], [2, 300, { ECONNRESET: 1, DROPPED: 1 }]);
  });

  it('fails when failures never stop before the run ends', () => {
    const run = record({ samples: load((t) => t >= A && t % 200 === 0), events: [actuated(A)] });
    const result = failoverTimeChecker().check(run);
    assert.equal(result.valid, false);
    assert.equal((result.evidence.faults as { settled: boolean }[])[0]?.settled, false);
    assert.match(result.summary, /did not stop/);
  });

  it('is unknown when no load ran after the fault', () => {
    const run = record({ samples: load(() => false, 5000), events: [actuated(A)] });
    const result = failoverTimeChecker().check(run);
    assert.equal(result.valid, 'unknown');
    assert.match(result.summary, /no load/);
  });

  it('can be limited to some requests and some faults', () => {
    const samples = [
      ...load(() => false),
      ...every(A, A + 3000, 100, (t) => failed(t, { request: 'GET /static/* (uncached)' })),
    ];
    const events = [actuated(A, 'cdn-origin-outage'), actuated(A, 'replica-lag:all')];
    const all = analyzeFailoverTime(record({ samples, events }));
    assert.deepEqual(
      all.faults.map((f) => [f.fault, f.failoverMs]),
      [
        ['cdn-origin-outage', 2900],
        ['replica-lag:all', 2900],
      ],
    );
    const some = analyzeFailoverTime(record({ samples, events }), {
      requests: ['GET /products/:id'],
      faults: ['cdn-origin-outage'],
    });
    assert.deepEqual(
      some.faults.map((f) => [f.fault, f.failoverMs]),
      [['cdn-origin-outage', 0]],
    );
  });

  it('faults injected together share the window; a fault after the heal starts a new one', () => {
    const samples = load((t) => (t >= A && t < A + 1000) || (t >= 25_000 && t < 25_500));
    const events = [
      actuated(A, 'lb-backend-death:web-2'),
      actuated(A + 3, 'cache-node-loss:cache-1'),
      healed(20_000, 'lb-backend-death:web-2'),
      healed(20_001, 'cache-node-loss:cache-1'),
      actuated(25_000, 'lb-backend-death:web-3'),
    ];
    const a = analyzeFailoverTime(record({ samples, events }));
    assert.deepEqual(
      a.faults.map((f) => [f.fault, f.failoverMs, f.settled]),
      [
        ['lb-backend-death:web-2', 900, true],
        ['cache-node-loss:cache-1', 897, true],
        ['lb-backend-death:web-3', 400, true],
      ],
    );
  });
});
