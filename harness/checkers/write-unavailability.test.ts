import assert from 'node:assert/strict';
import type { Sample } from '../samples/sample.ts';
import { ackedWrite, actuated, every, failed, ledger, observed, ok, record } from './testing.ts';
import {
  analyzeWriteUnavailability,
  writeUnavailability,
  writeUnavailabilityChecker,
} from './write-unavailability.ts';

const A = 10_000; // the primary is killed at the start of the fault phase
const KILL = 'service-kill:pg-primary';

const refused = (t: number) => failed(t, { ...ledger(t), status: undefined, error: 'ECONNREFUSED' });
const timedOut = (t: number) =>
  failed(t, { ...ledger(t), outcome: 'info', status: undefined, error: 'TIMEOUT' }, 2000);

/**
 * A write every 100 ms: acknowledged by pg-primary before A, then timing out for 500 ms, refused
 * until `backAt`, and acknowledged by pg-replica-1 from then on (never, when backAt is undefined).
 * Reads every 100 ms (offset 50) from a replica, failing for 500 ms after A.
 */
function primaryLoss(backAt: number | undefined): Sample[] {
  const writes = every(0, 30_000, 100, (t) => {
    if (t < A) return ackedWrite(t, 'pg-primary');
    if (t < A + 500) return timedOut(t);
    return backAt === undefined || t < backAt ? refused(t) : ackedWrite(t, 'pg-replica-1');
  });
  const reads = every(50, 30_000, 100, (t) =>
    t > A && t < A + 500 ? failed(t) : ok(t, { readFrom: 'pg-replica-1' }),
  );
  return [...writes, ...reads];
}

const failover = (at: number, action: string, node: string) => observed(at, 'failover', { action, node });
const managed = [
  actuated(A, KILL),
  failover(12_000, 'detected', 'pg-primary'),
  failover(14_000, 'promoted', 'pg-replica-1'),
  failover(14_500, 'endpoint-switched', 'pg-replica-1'),
];

function metric(name: 'write-unavailability' | 'time-to-promote', run: ReturnType<typeof record>) {
  const spec = writeUnavailability.metrics[name];
  assert.ok(spec, name);
  return spec.resolve(analyzeWriteUnavailability(run), undefined);
}

describe('checkers/write-unavailability', () => {
  it('measures from the last write acknowledged before the fault to the first one sent after it', () => {
    const run = record({ samples: primaryLoss(15_000), events: managed });
    const f = analyzeWriteUnavailability(run).faults[0];
    assert.ok(f);
    // Last ack: the write of 9.9 s, done at 9905; first ack after: the write of 15 s, done at 15005.
    assert.deepEqual(
      [f.lastAckBeforeMs, f.firstAckAfterMs, f.unavailabilityMs, f.recovered, f.firstAckWrittenTo],
      [-95, 5005, 5100, true, 'pg-replica-1'],
    );
    const result = writeUnavailabilityChecker().check(run);
    assert.deepEqual([result.valid, result.value, result.unit], [true, 5100, 'ms']);
    assert.equal(
      result.summary,
      'writes unavailable for 5100 ms after service-kill:pg-primary: 50 failed writes (5 timed out), ' +
        'reads 46 ok / 5 failed; pg-replica-1 promoted after 4000 ms',
    );
    assert.equal(metric('write-unavailability', run), 5100);
  });

  it('counts the failed and timed-out writes of the outage, and the reads served meanwhile', () => {
    const f = analyzeWriteUnavailability(record({ samples: primaryLoss(15_000), events: managed })).faults[0];
    assert.deepEqual(
      [f?.failedWrites, f?.timedOutWrites, f?.writeFailuresByCause, f?.readsOk, f?.readsFailed],
      [50, 5, { TIMEOUT: 5, ECONNREFUSED: 45 }, 46, 5],
    );
  });

  it('takes detection, promotion and the endpoint switch from the failover manager, as ms after A', () => {
    const run = record({ samples: primaryLoss(15_000), events: managed });
    const f = analyzeWriteUnavailability(run).faults[0];
    assert.deepEqual(
      [f?.detectedMs, f?.promotedMs, f?.endpointSwitchedMs, f?.promotedNode],
      [2000, 4000, 4500, 'pg-replica-1'],
    );
    assert.equal(metric('time-to-promote', run), 4000);
    // Without a failover manager's events the run cannot tell when (or whether) it promoted.
    const bare = record({ samples: primaryLoss(15_000), events: [actuated(A, KILL)] });
    const g = analyzeWriteUnavailability(bare).faults[0];
    assert.deepEqual([g?.detectedMs, g?.promotedMs, g?.promotedNode], [null, null, null]);
    assert.equal(metric('time-to-promote', bare), undefined);
    assert.equal(writeUnavailabilityChecker().check(bare).valid, true);
  });

  it('counts from A when no write was acknowledged before the fault', () => {
    const samples = every(A, 30_000, 100, (t) => (t < 12_000 ? refused(t) : ackedWrite(t, 'pg-replica-1')));
    const f = analyzeWriteUnavailability(record({ samples, events: [actuated(A, KILL)] })).faults[0];
    assert.deepEqual([f?.lastAckBeforeMs, f?.unavailabilityMs, f?.failedWrites], [null, 2005, 20]);
  });

  it('does not take a write in flight at the fault for writes coming back', () => {
    // Sent at 9.95 s, acknowledged by the old primary at 10.2 s: neither the last ack before A nor a recovery.
    const samples = [...primaryLoss(15_000), ackedWrite(9950, 'pg-primary', 250)];
    const f = analyzeWriteUnavailability(record({ samples, events: managed })).faults[0];
    assert.deepEqual([f?.lastAckBeforeMs, f?.firstAckAfterMs, f?.unavailabilityMs], [-95, 5005, 5100]);
  });

  it('fails when no write was acknowledged again before the run ended, measuring a lower bound', () => {
    const events = [actuated(A, KILL), failover(12_000, 'detected', 'pg-primary')];
    const run = record({ samples: primaryLoss(undefined), events });
    const result = writeUnavailabilityChecker().check(run);
    const f = analyzeWriteUnavailability(run).faults[0];
    // Until the intended time of the run's last sample (a read at 29.95 s).
    assert.deepEqual([f?.recovered, f?.unavailabilityMs, f?.firstAckAfterMs], [false, 20_045, null]);
    assert.deepEqual([result.valid, result.value], [false, 20_045]);
    assert.match(
      result.summary,
      /^no write was acknowledged after service-kill:pg-primary before the run ended \(≥ 20\.0 s\): 200 failed writes \(5 timed out\).*detected it after 2000 ms but promoted nothing$/,
    );
    // Writes never came back and nothing was promoted: both metrics say never, not unknown.
    assert.equal(metric('write-unavailability', run), Number.POSITIVE_INFINITY);
    assert.equal(metric('time-to-promote', run), Number.POSITIVE_INFINITY);
  });

  /**
   * A partition, not a crash: the old primary acknowledges writes for 3 s after A, then they are
   * refused until pg-replica-1 takes them at `backAt` (never, when undefined).
   */
  function partition(backAt: number | undefined): Sample[] {
    return every(0, 30_000, 100, (t) => {
      if (t < A + 3000) return ackedWrite(t, 'pg-primary');
      return backAt === undefined || t < backAt ? refused(t) : ackedWrite(t, 'pg-replica-1');
    });
  }

  it('finds the outage where writes stopped, when the old primary went on acknowledging after the fault', () => {
    const events = [actuated(A, 'primary-partition:primary')];
    const f = analyzeWriteUnavailability(record({ samples: partition(16_000), events })).faults[0];
    // Last ack from the old primary: the write of 12.9 s, done at 12905; first from the new: 16005.
    assert.deepEqual(
      [f?.lastAckBeforeMs, f?.firstAckAfterMs, f?.unavailabilityMs, f?.failedWrites, f?.recovered],
      [2905, 6005, 3100, 30, true],
    );
  });

  it('fails when the old primary stopped acknowledging after the fault and no one took over', () => {
    const events = [actuated(A, 'primary-partition:primary')];
    const run = record({ samples: partition(undefined), events });
    const f = analyzeWriteUnavailability(run).faults[0];
    // From 12905 to the last sample's intended time (29.9 s): an open outage, not a 100 ms gap.
    assert.deepEqual([f?.recovered, f?.unavailabilityMs], [false, 16_995]);
    assert.equal(writeUnavailabilityChecker().check(run).valid, false);
  });
  it('is unknown when no fault was actuated, the run wrote nothing, or no write was tried after the fault', () => {
    const cases: [Sample[], ReturnType<typeof actuated>[], RegExp][] = [
      [primaryLoss(15_000), [], /no fault was actuated/],
      [every(0, 30_000, 100, (t) => ok(t)), [actuated(A, KILL)], /no ledger write/],
      [
        primaryLoss(15_000).filter((s) => s.intendedAt < 9000),
        [actuated(A, KILL)],
        /no write was tried after/,
      ],
    ];
    for (const [samples, events, why] of cases) {
      const run = record({ samples, events });
      const result = writeUnavailabilityChecker().check(run);
      assert.equal(result.valid, 'unknown');
      assert.match(result.summary, why);
      assert.equal(metric('write-unavailability', run), undefined);
    }
  });

  it('judges against maxMs, and can be limited to some faults by id or kind', () => {
    const run = record({ samples: primaryLoss(15_000), events: managed });
    assert.equal(writeUnavailabilityChecker({ maxMs: '5s' }).check(run).valid, false);
    const within = writeUnavailabilityChecker({ maxMs: '6s' }).check(run);
    assert.deepEqual([within.valid, within.evidence.maxMs], [true, 6000]);
    assert.match(within.summary, /\(limit ≤ 6000 ms\)/);
    assert.equal(writeUnavailabilityChecker({ faults: ['service-kill'] }).check(run).value, 5100);
    assert.equal(writeUnavailabilityChecker({ faults: [KILL] }).check(run).value, 5100);
    assert.equal(writeUnavailabilityChecker({ faults: ['lb-backend-death'] }).check(run).valid, 'unknown');
    assert.throws(() => writeUnavailabilityChecker({ maxMs: 'soon' }), /maxMs/);
  });

  it('has evidence its schema reads', () => {
    const result = writeUnavailabilityChecker().check(
      record({ samples: primaryLoss(15_000), events: managed }),
    );
    assert.ok(writeUnavailability.evidence.safeParse(result.evidence).success);
  });
});
