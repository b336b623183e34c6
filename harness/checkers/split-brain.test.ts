import assert from 'node:assert/strict';
import type { Sample } from '../samples/sample.ts';
import { analyzeSplitBrain, splitBrain, splitBrainChecker } from './split-brain.ts';
import { ackedWrite, every, failed, ledger, ok, record } from './testing.ts';

/** A write every 100 ms in [from, to), acknowledged by `node` (done 5 ms after it was sent). */
const acks = (from: number, to: number, node?: string) => every(from, to, 100, (t) => ackedWrite(t, node));

function metric(samples: Sample[]) {
  const spec = splitBrain.metrics['split-brain-writes'];
  assert.ok(spec);
  return spec.resolve(analyzeSplitBrain(record({ samples })), undefined);
}

describe('checkers/split-brain', () => {
  it('finds none in a clean failover: the old primary’s last ack before the new one’s first', () => {
    const samples = [
      ...acks(0, 10_000, 'pg-primary'),
      ...every(10_000, 15_000, 100, (t) => failed(t, ledger(t))),
      ...acks(15_000, 30_000, 'pg-replica-1'),
      ...every(50, 30_000, 100, (t) => ok(t)),
    ];
    const a = analyzeSplitBrain(record({ samples }));
    assert.deepEqual(a.nodes, [
      { node: 'pg-primary', first: 5, last: 9905, writes: 100 },
      { node: 'pg-replica-1', first: 15_005, last: 29_905, writes: 150 },
    ]);
    assert.deepEqual([a.overlaps, a.count, a.acknowledged, a.unattributed], [[], 0, 250, 0]);
    const result = splitBrainChecker().check(record({ samples }));
    assert.deepEqual([result.valid, result.value, result.unit], [true, 0, 'count']);
    assert.equal(
      result.summary,
      'no two nodes acknowledged writes at the same time (acknowledged: pg-primary 100, pg-replica-1 150)',
    );
    assert.equal(metric(samples), 0);
  });

  it('counts every write either node acknowledged while both did', () => {
    // The old primary keeps acknowledging until 12 s; the replica was promoted at 10.5 s.
    const samples = [...acks(0, 12_000, 'pg-primary'), ...acks(10_500, 30_000, 'pg-replica-1')];
    const a = analyzeSplitBrain(record({ samples }));
    // Overlap [10 505, 11 905]: the primary's writes of 10.5 s to 11.9 s and the replica's (15 each).
    assert.deepEqual(a.overlaps, [
      { nodes: ['pg-primary', 'pg-replica-1'], from: 10_505, to: 11_905, writes: 30 },
    ]);
    assert.equal(a.count, 30);
    assert.deepEqual(a.writes.slice(0, 2), [
      { ledgerId: 'w10500', writtenTo: 'pg-primary', doneAt: 10_505 },
      { ledgerId: 'w10500', writtenTo: 'pg-replica-1', doneAt: 10_505 },
    ]);
    assert.equal(a.writes.length, 20);
    assert.equal(a.omittedWrites, 10);
    const result = splitBrainChecker().check(record({ samples }));
    assert.deepEqual([result.valid, result.value], [false, 30]);
    assert.equal(
      result.summary,
      '30 writes acknowledged while two nodes accepted writes (pg-primary and pg-replica-1, for 1400 ms from t = 10.5 s)',
    );
    assert.equal(metric(samples), 30);
  });

  it('counts a write once however many other nodes overlap it, and one stray ack as an overlap', () => {
    const samples = [
      ...acks(0, 20_000, 'pg-primary'),
      ackedWrite(5000.5, 'pg-replica-1'),
      ackedWrite(5000.5, 'pg-replica-2'),
    ];
    const a = analyzeSplitBrain(record({ samples }));
    assert.deepEqual(
      a.overlaps.map((o) => [o.nodes, o.writes]),
      [
        [['pg-primary', 'pg-replica-1'], 1],
        [['pg-primary', 'pg-replica-2'], 1],
        [['pg-replica-1', 'pg-replica-2'], 2],
      ],
    );
    assert.equal(a.count, 2);
  });

  it('ignores failed writes, and counts acknowledged writes without writtenTo as unattributed', () => {
    const samples = [...acks(0, 10_000, 'pg-primary'), ...acks(10_000, 11_000), failed(9000, ledger(9000))];
    const a = analyzeSplitBrain(record({ samples }));
    assert.deepEqual([a.acknowledged, a.unattributed, a.count], [110, 10, 0]);
  });

  it('is unknown when no acknowledged write says which node committed it', () => {
    for (const [samples, why] of [
      [acks(0, 10_000), /none of the 100 acknowledged writes says which node/],
      [[ok(0), failed(100, ledger(100))], /no ledger write was acknowledged/],
    ] as const) {
      const result = splitBrainChecker().check(record({ samples: [...samples] }));
      assert.equal(result.valid, 'unknown');
      assert.equal(result.value, undefined);
      assert.match(result.summary, why);
      assert.equal(metric([...samples]), undefined);
    }
  });

  it('takes no options, and has evidence its schema reads', () => {
    assert.throws(() => splitBrainChecker({ maxWrites: 1 } as never), /maxWrites/);
    const result = splitBrainChecker().check(record({ samples: acks(0, 12_000, 'pg-primary') }));
    assert.ok(splitBrain.evidence.safeParse(result.evidence).success);
  });
});
