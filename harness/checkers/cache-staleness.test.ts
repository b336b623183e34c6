import assert from 'node:assert/strict';
import type { Sample } from '../samples/sample.ts';
import {
  analyzeCacheStaleness,
  CHANGE_SOURCE,
  cacheStaleness,
  cacheStalenessChecker,
} from './cache-staleness.ts';
import { every, failed, observed, ok, record } from './testing.ts';

const change = (at: number, productId: number, version: number) =>
  observed(at, CHANGE_SOURCE, { productId, version, via: 'database' });
const read = (t: number, productId: number, version: number, extra: Partial<Sample> = {}) =>
  ok(t, { version, detail: { productId }, ...extra });

/**
 * Product 1 goes from version 1 to 2 at 12 s (in the fault phase); a cache keeps serving version 1
 * until `freshAt`. Reads of it every 100 ms; product 2 never changes.
 */
function ttlOnly(freshAt: number): Sample[] {
  return [
    ...every(10_000, 20_000, 100, (t) => read(t, 1, t < freshAt ? 1 : 2, { cache: 'hit' })),
    ...every(10_050, 20_000, 100, (t) => read(t, 2, 1)),
  ];
}

describe('checkers/cache-staleness', () => {
  it('judges reads of a changed product that began after the change; their age counts from the change', () => {
    const run = record({ samples: ttlOnly(15_000), events: [change(12_000, 1, 2)] });
    const a = analyzeCacheStaleness(run);
    // Reads of product 1 from 12.0 to 19.9 s are judged (80); those before 15 s got version 1 (30).
    assert.deepEqual([a.judged, a.stale, a.staleRate, a.changes, a.changedProducts], [80, 30, 0.375, 1, 1]);
    // The last stale read began at 14.9 s and was done at 14.905 s: 2905 ms after the change.
    assert.deepEqual([a.maxAgeMs, a.p50AgeMs], [2905, 1405]);
    assert.deepEqual(a.examples[0], {
      productId: 1,
      version: 1,
      expected: 2,
      ageMs: 5,
      at: 12_000,
      cache: 'hit',
    });
    assert.equal(a.byPhase.fault?.stale, 30);
  });

  it('counts the age from the first change the read missed, when it is several versions behind', () => {
    const events = [change(11_000, 1, 2), change(12_000, 1, 3)];
    const a = analyzeCacheStaleness(record({ samples: [read(13_000, 1, 1)], events }));
    assert.deepEqual([a.stale, a.maxAgeMs, a.examples[0]?.expected], [1, 2005, 3]);
  });

  it('ignores failed reads, reads without a product or version, and reads that began before any change', () => {
    const samples = [
      failed(13_000, { version: 1, detail: { productId: 1 } }),
      ok(13_000, { detail: { productId: 1 } }),
      ok(13_000, { version: 1 }),
      read(11_000, 1, 1),
    ];
    const a = analyzeCacheStaleness(record({ samples, events: [change(12_000, 1, 2)] }));
    assert.equal(a.judged, 0);
  });

  it('holds without limits only when no read was stale; judges maxAge (e.g. the TTL) and maxRate when given', () => {
    const run = record({ samples: ttlOnly(15_000), events: [change(12_000, 1, 2)] });
    assert.equal(cacheStalenessChecker().check(run).valid, false);
    assert.equal(cacheStalenessChecker({ maxAge: '5s' }).check(run).valid, true);
    assert.equal(cacheStalenessChecker({ maxAge: '2s' }).check(run).valid, false);
    assert.equal(cacheStalenessChecker({ maxAge: '5s', maxRate: 0.1 }).check(run).valid, false);
    const fresh = record({ samples: ttlOnly(12_000), events: [change(12_000, 1, 2)] });
    const result = cacheStalenessChecker().check(fresh);
    assert.deepEqual([result.valid, result.value], [true, 0]);
    assert.match(
      result.summary,
      /^0 of 80 reads of changed products stale \(0\.00%\), oldest 0 ms after the change; 1 change of 1 product$/,
    );
  });

  it('is unknown without a recorded change, or without a read after one', () => {
    const none = cacheStalenessChecker().check(record({ samples: ttlOnly(15_000) }));
    assert.equal(none.valid, 'unknown');
    assert.match(none.summary, /no data change was recorded/);
    const late = record({ samples: ttlOnly(15_000), events: [change(25_000, 1, 2)] });
    assert.equal(cacheStalenessChecker().check(late).valid, 'unknown');
  });

  it('offers the stale share and the age (max, p99) per phase as metrics; none where nothing was judged', () => {
    const run = record({ samples: ttlOnly(15_000), events: [change(12_000, 1, 2)] });
    const a = analyzeCacheStaleness(run);
    const metric = (name: string, phase?: string) => cacheStaleness.metrics[name]?.resolve(a, phase);
    assert.equal(metric('cache-stale-read-rate', 'fault'), 0.375);
    assert.equal(metric('staleness-age-max', 'fault'), 2905);
    assert.equal(metric('staleness-age-max', 'baseline'), undefined);
    assert.equal(metric('staleness-age-p99'), 2905);
  });

  it('has evidence its schema reads', () => {
    const result = cacheStalenessChecker({ maxAge: 5000 }).check(
      record({ samples: ttlOnly(15_000), events: [change(12_000, 1, 2)] }),
    );
    assert.equal(cacheStaleness.evidence.safeParse(result.evidence).success, true);
  });
});
