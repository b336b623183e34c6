import assert from 'node:assert/strict';
import type { RunEvent } from '../samples/event-log.ts';
import { ackedWritesLost, ackedWritesLostChecker, analyzeAckedWritesLost } from './acked-writes-lost.ts';
import { ackedWrite, every, failed, ledger, observed, ok, record } from './testing.ts';

const A = 10_000;

function lostMetric(run: ReturnType<typeof record>) {
  const spec = ackedWritesLost.metrics['acked-writes-lost'];
  assert.ok(spec);
  return spec.resolve(analyzeAckedWritesLost(run), undefined);
}

/** 300 writes, one every 100 ms: pg-primary acknowledges them before A, pg-replica-1 after. */
const writes = every(0, 30_000, 100, (t) => ackedWrite(t, t < A ? 'pg-primary' : 'pg-replica-1'));

const readBack = (detail: Record<string, string | number>): RunEvent =>
  observed(31_000, 'ledger.readback', detail);
const clean = readBack({ node: 'pg-replica-1', checked: 300, missing: 0, missingIds: '' });
// The last three writes the old primary acknowledged never reached the replica.
const lossy = readBack({ node: 'pg-replica-1', checked: 300, missing: 3, missingIds: 'w9700,w9800,w9900' });

describe('checkers/acked-writes-lost', () => {
  it('holds when every acknowledged write is read back', () => {
    const result = ackedWritesLostChecker().check(record({ samples: writes, events: [clean] }));
    assert.deepEqual([result.valid, result.value, result.unit], [true, 0, 'count']);
    assert.equal(result.summary, '0 of 300 acknowledged writes missing on pg-replica-1 (limit ≤ 0)');
  });

  it('fails on a lost write, showing each with its acknowledgement and the node that committed it', () => {
    const run = record({ samples: writes, events: [lossy] });
    const a = analyzeAckedWritesLost(run);
    assert.deepEqual([a.acknowledged, a.checked, a.lost, a.node], [300, 300, 3, 'pg-replica-1']);
    assert.deepEqual(a.lostWrites, [
      { ledgerId: 'w9700', ackedAt: 9705, writtenTo: 'pg-primary', request: 'POST /ledger/:id' },
      { ledgerId: 'w9800', ackedAt: 9805, writtenTo: 'pg-primary', request: 'POST /ledger/:id' },
      { ledgerId: 'w9900', ackedAt: 9905, writtenTo: 'pg-primary', request: 'POST /ledger/:id' },
    ]);
    assert.deepEqual(a.lostByWrittenTo, { 'pg-primary': 3 });
    const result = ackedWritesLostChecker().check(run);
    assert.deepEqual([result.valid, result.value], [false, 3]);
    assert.equal(
      result.summary,
      '3 of 300 acknowledged writes missing on pg-replica-1 (limit ≤ 0); of those listed, 3 written to pg-primary',
    );
    assert.equal(lostMetric(run), 3);
  });

  it('takes the count from the read-back, which lists only the first missing ids', () => {
    const run = record({
      samples: writes,
      events: [readBack({ node: 'pg-replica-1', checked: 300, missing: 25, missingIds: 'w100, w200,nope' })],
    });
    const a = analyzeAckedWritesLost(run);
    assert.equal(a.lost, 25);
    // An id no sample acknowledged is shown as such rather than dropped.
    assert.deepEqual(
      a.lostWrites.map((w) => [w.ledgerId, w.ackedAt, w.writtenTo]),
      [
        ['w100', 105, 'pg-primary'],
        ['w200', 205, 'pg-primary'],
        ['nope', null, null],
      ],
    );
    assert.deepEqual(a.lostByWrittenTo, { 'pg-primary': 2, unknown: 1 });
  });

  it('counts acknowledged writes by distinct id, ignoring failed writes and reads', () => {
    const samples = [
      ...writes,
      ackedWrite(500), // the same id acknowledged twice (a retry)
      failed(30_100, { ...ledger(30_100) }),
      ok(30_200),
    ];
    assert.equal(analyzeAckedWritesLost(record({ samples, events: [clean] })).acknowledged, 300);
  });

  it('says when a read-back checked fewer writes than were acknowledged', () => {
    const partial = readBack({ node: 'pg-replica-1', checked: 250, missing: 0, missingIds: '' });
    const result = ackedWritesLostChecker().check(record({ samples: writes, events: [partial] }));
    assert.equal(result.valid, true);
    assert.match(result.summary, /^0 of 300 acknowledged writes \(checked 250\) missing/);
  });

  it('allows up to maxLost lost writes', () => {
    const run = record({ samples: writes, events: [lossy] });
    assert.equal(ackedWritesLostChecker({ maxLost: 3 }).check(run).valid, true);
    assert.equal(ackedWritesLostChecker({ maxLost: 2 }).check(run).valid, false);
    assert.equal(ackedWritesLostChecker({ maxLost: 3 }).check(run).evidence.maxLost, 3);
    assert.throws(() => ackedWritesLostChecker({ maxLost: -1 }), /maxLost/);
  });

  it('is unknown without a read-back, when it failed or is unreadable, or when nothing could be lost', () => {
    const cases: [Parameters<typeof record>[0], RegExp][] = [
      [{ samples: writes }, /no ledger\.readback event/],
      [
        { samples: writes, events: [readBack({ error: 'connect ECONNREFUSED' })] },
        /read-back failed: connect ECONNREFUSED/,
      ],
      [
        { samples: writes, events: [readBack({ node: 'pg-replica-1', missing: 'x' })] },
        /unreadable.*checked/,
      ],
      [{ samples: [ok(0), failed(100, ledger(100))], events: [clean] }, /no ledger write was acknowledged/],
      [
        {
          samples: writes,
          events: [readBack({ node: 'pg-replica-1', checked: 0, missing: 0, missingIds: '' })],
        },
        /checked none of the 300/,
      ],
    ];
    for (const [input, why] of cases) {
      const run = record(input);
      const result = ackedWritesLostChecker().check(run);
      assert.equal(result.valid, 'unknown');
      assert.equal(result.value, undefined);
      assert.match(result.summary, why);
      assert.equal(lostMetric(run), undefined);
    }
  });

  it('has evidence its schema reads', () => {
    const result = ackedWritesLostChecker().check(record({ samples: writes, events: [lossy] }));
    assert.ok(ackedWritesLost.evidence.safeParse(result.evidence).success);
  });
});
