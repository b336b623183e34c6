import assert from 'node:assert/strict';
import type { Sample } from '../samples/sample.ts';
import { analyzeStaleReads, staleReadsChecker } from './stale-reads.ts';
import { failed, ok, record } from './testing.ts';

/** The read-back of version `acked` of `product`, acknowledged at `ackedAt`, returning `version`. */
function readBack(
  t: number,
  o: {
    acked: number;
    ackedAt: number;
    version: number;
    session?: string;
    product?: number;
    latency?: number;
  },
): Sample {
  return ok(
    t,
    {
      request: 'GET /products/:id after write',
      version: o.version,
      sessionId: o.session ?? 'user-1',
      readFrom: 'pg-replica-1',
      detail: { productId: o.product ?? 7, ackedVersion: o.acked, ackedAt: o.ackedAt },
    },
    o.latency ?? 5,
  );
}

describe('checkers/stale-reads', () => {
  it('is unknown when the run has no read-back of an acknowledged write', () => {
    const result = staleReadsChecker().check(record({ samples: [ok(100), ok(200)] }));
    assert.equal(result.valid, 'unknown');
    assert.equal(result.value, undefined);
    assert.match(result.summary, /no read-back/);
  });

  it('passes when every read-back returns at least the acknowledged version', () => {
    const samples = [
      readBack(1000, { acked: 3, ackedAt: 1000, version: 3 }),
      readBack(2000, { acked: 4, ackedAt: 1990, version: 5 }),
    ];
    const result = staleReadsChecker().check(record({ samples }));
    assert.equal(result.valid, true);
    assert.equal(result.value, 0);
    assert.equal(result.unit, 'ratio');
    assert.equal((result.evidence as { reads: number }).reads, 2);
  });

  it('a read that began before the ack is concurrent, not stale', () => {
    const samples = [readBack(999, { acked: 3, ackedAt: 1000, version: 2 })];
    const a = analyzeStaleReads(record({ samples }));
    assert.deepEqual([a.reads, a.stale, a.concurrent], [0, 0, 1]);
    assert.equal(staleReadsChecker().check(record({ samples })).valid, 'unknown');
  });

  it('counts stale reads per phase with their age (ms after the ack) and versions behind', () => {
    const samples = [
      // baseline: 1 fresh read
      readBack(1000, { acked: 1, ackedAt: 1000, version: 1 }),
      // fault: 3 reads, 2 stale (the second 2 versions behind), 1 fresh
      readBack(12_000, { acked: 5, ackedAt: 11_990, version: 4, latency: 10 }), // age 12_010 − 11_990 = 20
      readBack(13_000, { acked: 8, ackedAt: 13_000, version: 6, session: 'user-2', latency: 300 }), // age 300
      readBack(14_000, { acked: 9, ackedAt: 14_000, version: 9 }),
      // a failed read-back says nothing
      failed(15_000, { detail: { productId: 7, ackedVersion: 10, ackedAt: 15_000 } }),
    ];
    const run = record({ samples });
    const a = analyzeStaleReads(run);
    assert.deepEqual([a.reads, a.stale, a.staleRate, a.failed], [4, 2, 0.5, 1]);
    assert.deepEqual(
      {
        reads: a.byPhase.baseline?.reads,
        stale: a.byPhase.baseline?.stale,
        rate: a.byPhase.baseline?.staleRate,
      },
      { reads: 1, stale: 0, rate: 0 },
    );
    assert.deepEqual(
      { reads: a.byPhase.fault?.reads, stale: a.byPhase.fault?.stale, rate: a.byPhase.fault?.staleRate },
      { reads: 3, stale: 2, rate: 2 / 3 },
    );
    assert.equal(a.byPhase.recovery?.staleRate, null, 'no reads: no rate');
    assert.deepEqual([a.ageMs.p50, a.ageMs.max], [20, 300]);
    assert.deepEqual(a.ageMs.histogram, [
      { le: 20, count: 1 },
      { le: 500, count: 1 },
    ]);
    assert.equal(a.versionsBehind.max, 2);
    assert.deepEqual(a.versionsBehind.histogram, [
      { le: 1, count: 1 },
      { le: 2, count: 1 },
    ]);
    assert.equal(a.rywViolations, 2);
    assert.deepEqual(a.rywBySession, {
      sessions: 2,
      top: [
        { sessionId: 'user-1', violations: 1 },
        { sessionId: 'user-2', violations: 1 },
      ],
    });
    assert.equal(a.staleSamples[0]?.ageMs, 20);

    const result = staleReadsChecker().check(run);
    assert.equal(result.valid, false);
    assert.equal(result.value, 0.5);
    // The checker's limit reads as a limit, not as a second measurement ("50.00%, max 0.00%").
    assert.match(result.summary, /2 of 4 reads stale \(50\.00%; limit ≤ 0\.00%\)/);
    assert.doesNotMatch(result.summary, /max/);
    assert.equal(staleReadsChecker({ maxRate: 0.5 }).check(run).valid, true, 'maxRate is inclusive');
  });

  it("a stale read of another session's write is stale but not a read-your-writes violation", () => {
    const s = readBack(1000, { acked: 3, ackedAt: 900, version: 2 });
    s.detail = { ...s.detail, ackedBy: 'user-9' };
    const a = analyzeStaleReads(record({ samples: [s] }));
    assert.deepEqual([a.stale, a.rywViolations], [1, 0]);
  });

  it('finds monotonic-read violations per session and product, only against reads already completed', () => {
    const read = (t: number, version: number, session = 'user-1', product = 7, latency = 5) =>
      ok(t, { version, sessionId: session, detail: { productId: product } }, latency);
    const samples = [
      read(1000, 5),
      read(2000, 4), // went back from 5 to 4: violation
      read(3000, 4, 'user-2'), // another session: fine
      read(3000, 3, 'user-1', 8), // another product: fine
      read(4000, 6, 'user-1', 7, 2000), // done at 6000
      read(5000, 5), // began before the v6 read finished: compared with 5 only, fine
      read(7000, 5), // after v6 was seen: violation
      failed(8000, { version: 1, sessionId: 'user-1', detail: { productId: 7 } }), // failed: ignored
    ];
    const a = analyzeStaleReads(record({ samples }));
    assert.equal(a.monotonicViolations, 2);
    assert.deepEqual(a.monotonicBySession, { sessions: 1, top: [{ sessionId: 'user-1', violations: 2 }] });
    assert.deepEqual(
      a.monotonicSamples.map((s) => [s.intendedAt, s.version, s.previouslySeen]),
      [
        [2000, 4, 5],
        [7000, 5, 6],
      ],
    );
    assert.equal(a.byPhase.baseline?.monotonicViolations, 2);
    assert.equal(a.reads, 0, 'plain reads are not read-backs');
  });

  it('keeps evidence bounded: at most 20 stale samples, the rest counted', () => {
    const samples = Array.from({ length: 30 }, (_, i) =>
      readBack(100 * i, { acked: 2, ackedAt: 100 * i, version: 1 }),
    );
    const a = analyzeStaleReads(record({ samples }));
    assert.equal(a.stale, 30);
    assert.equal(a.staleSamples.length, 20);
    assert.equal(a.omitted.stale, 10);
  });

  it('rejects bad options with a usage error', () => {
    assert.throws(
      () => staleReadsChecker({ maxRate: 2 }),
      (e: Error & { code?: string }) => e.code === 'CHECKER_OPTIONS_INVALID' && /maxRate/.test(e.message),
    );
  });
});
