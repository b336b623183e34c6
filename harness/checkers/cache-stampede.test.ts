import assert from 'node:assert/strict';
import type { Sample } from '../samples/sample.ts';
import { analyzeCacheStampede, cacheStampede, cacheStampedeChecker } from './cache-stampede.ts';
import { dropped, every, failed, ok, record } from './testing.ts';

/** A read of `productId` at `t` that took `latency` ms and says how it read (X-Cache). */
const read = (t: number, productId: number, cache: string, latency = 5, extra: Partial<Sample> = {}) =>
  ok(t, { cache, detail: { productId }, ...extra }, latency);

/**
 * Product 1 expires at `at`: the requests of the next 100 ms (one every 20 ms) each read the
 * database for 100 ms under `miss`, or wait for the first one under `coalesced`.
 */
function expiry(at: number, others: 'miss' | 'coalesced'): Sample[] {
  return every(at, at + 100, 20, (t) => read(t, 1, t === at ? 'miss' : others, 100));
}

describe('checkers/cache-stampede', () => {
  it('groups a key’s overlapping database reads into one refill; its size is the amplification', () => {
    const samples = [
      ...every(10_000, 12_000, 50, (t) => read(t, 1, 'hit')),
      ...expiry(12_000, 'miss'),
      ...every(12_200, 15_000, 50, (t) => read(t, 1, 'hit')),
      // Another key's lone miss, and a miss of product 1 long after the burst: refills of one.
      read(13_000, 2, 'miss', 100),
      read(16_000, 1, 'miss', 100),
    ];
    const a = analyzeCacheStampede(record({ samples }));
    assert.deepEqual([a.refills, a.dbReads, a.maxReads, a.meanReads], [3, 7, 5, 2.333]);
    assert.deepEqual(a.largest, [{ productId: 1, at: 12_000, doneAt: 12_180, reads: 5 }]);
    assert.deepEqual(
      [a.byPhase.fault?.refills, a.byPhase.fault?.maxReads, a.byPhase.fault?.spared],
      [3, 5, 96],
    );
    assert.equal(a.byPhase.baseline, undefined);
    assert.equal(a.statuses.hit, 96);
  });

  it('chains reads that each overlap the next, even when the first and last do not overlap', () => {
    const samples = [read(1000, 1, 'miss', 100), read(1090, 1, 'miss', 100), read(1180, 1, 'miss', 100)];
    assert.equal(analyzeCacheStampede(record({ samples })).maxReads, 3);
  });

  it('counts early refreshes and started background refreshes as reads; coalesced and stale ones spare the database', () => {
    const guarded = [
      ...expiry(12_000, 'coalesced'),
      read(14_000, 1, 'early', 100),
      read(14_050, 1, 'hit'),
      read(15_000, 1, 'stale-refresh', 2),
      read(15_010, 1, 'stale', 2),
    ];
    const a = analyzeCacheStampede(record({ samples: guarded }));
    assert.deepEqual([a.refills, a.dbReads, a.maxReads, a.spared], [3, 3, 1, 6]);
  });

  it('a failed read still read the database; dropped ones and reads without X-Cache or a product are left out', () => {
    const samples = [
      failed(12_000, { cache: 'miss', detail: { productId: 1 } }, 100),
      read(12_010, 1, 'miss', 100),
      dropped(12_020, { cache: 'miss', detail: { productId: 1 } }),
      ok(12_030, { detail: { productId: 1 } }, 100),
      ok(12_040, { cache: 'miss' }, 100),
    ];
    assert.equal(analyzeCacheStampede(record({ samples })).maxReads, 2);
  });

  it('draws the database read rate over the run in 500 ms bins', () => {
    const a = analyzeCacheStampede(record({ samples: expiry(12_000, 'miss') }));
    assert.equal(a.dbReadRate.binMs, 500);
    assert.equal(a.dbReadRate.perSecond[24], 10);
    assert.equal(a.dbReadRate.perSecond[23], 0);
  });

  it('valid when no refill had more identical reads at once than maxConcurrentReads (default 1)', () => {
    const run = record({ samples: expiry(12_000, 'miss') });
    const strict = cacheStampedeChecker().check(run);
    assert.deepEqual([strict.valid, strict.value, strict.unit], [false, 5, 'count']);
    assert.match(
      strict.summary,
      /1 refills cost 5 database reads .*largest 5 identical reads at once; limit ≤ 1/,
    );
    assert.equal(cacheStampedeChecker({ maxConcurrentReads: 5 }).check(run).valid, true);
    assert.equal(cacheStampedeChecker().check(record({ samples: expiry(12_000, 'coalesced') })).valid, true);
  });

  it('unknown when nothing read the database, or the app sends no X-Cache', () => {
    const hits = cacheStampedeChecker().check(record({ samples: [read(1000, 1, 'hit')] }));
    assert.equal(hits.valid, 'unknown');
    assert.match(hits.summary, /nothing was refilled/);
    const silent = cacheStampedeChecker().check(
      record({ samples: [ok(1000, { detail: { productId: 1 } })] }),
    );
    assert.match(silent.summary, /no product read carried an X-Cache header/);
  });

  it('resolves its metrics per phase, undefined where no refill happened', () => {
    const a = analyzeCacheStampede(record({ samples: expiry(12_000, 'miss') }));
    assert.equal(cacheStampede.metrics['stampede-db-reads-max']?.resolve(a, 'fault'), 5);
    assert.equal(cacheStampede.metrics['stampede-db-reads-mean']?.resolve(a, undefined), 5);
    assert.equal(cacheStampede.metrics['stampede-db-reads-max']?.resolve(a, 'baseline'), undefined);
  });

  it('rejects a limit below one', () => {
    assert.throws(() => cacheStampedeChecker({ maxConcurrentReads: 0 }), /maxConcurrentReads/);
  });
});
