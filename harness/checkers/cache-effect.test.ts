import assert from 'node:assert/strict';
import type { Sample } from '../samples/sample.ts';
import { analyzeCacheEffect, cacheEffectChecker } from './cache-effect.ts';
import { actuated, every, failed, healed, ok, record } from './testing.ts';

const H = 20_000;

/** App reads every 100 ms: `lookup(t)` gives the cache outcome; misses and errors read the DB. */
function reads(lookup: (t: number) => 'hit' | 'miss' | 'error' | 'off', to = 30_000): Sample[] {
  return every(0, to, 100, (t) => {
    const cache = lookup(t);
    return ok(t, {
      cache,
      ...(cache === 'hit' ? {} : { readFrom: cache === 'error' ? 'pg-primary' : 'pg-replica-1' }),
    });
  });
}

/** 90 % hits in the baseline, 50 % (the rest errors) during the fault, 50 % for 2 s after the heal. */
const dented = (t: number): 'hit' | 'miss' | 'error' => {
  const slot = (t % 1000) / 100;
  if (t < 10_000 || t >= H + 2000) return slot === 0 ? 'miss' : 'hit';
  if (t < H) return slot < 5 ? 'hit' : 'error';
  return slot < 5 ? 'hit' : 'miss';
};

describe('checkers/cache-effect', () => {
  it('is unknown without cache lookups or static assets', () => {
    const result = cacheEffectChecker().check(record({ samples: reads(() => 'off') }));
    assert.equal(result.valid, 'unknown');
  });

  it('measures the hit ratio per phase, the dip, the DB read surge and the re-warm time', () => {
    const run = record({
      samples: reads(dented),
      events: [actuated(10_000, 'cache-node-loss:cache-1'), healed(H, 'cache-node-loss:cache-1')],
    });
    const a = analyzeCacheEffect(run);
    assert.deepEqual(a.app.byPhase.baseline, {
      hits: 90,
      misses: 10,
      errors: 0,
      hitRatio: 0.9,
      dbReads: 10,
      dbReadsPerSec: 1,
      dbReadsByNode: { 'pg-replica-1': 10 },
    });
    assert.deepEqual(
      [a.app.byPhase.fault?.hitRatio, a.app.byPhase.fault?.dbReadsPerSec, a.app.byPhase.fault?.dbReadsByNode],
      [0.5, 5, { 'pg-primary': 50 }],
    );
    assert.equal(a.app.byPhase.recovery?.hitRatio, (10 + 72) / 100);
    assert.ok(Math.abs((a.app.dip ?? 0) - 0.4) < 1e-9);
    assert.equal(a.app.dbSurge, 5);
    assert.equal(a.app.faultBucketMin, 0.5);
    assert.deepEqual(a.app.rewarm, [
      { fault: 'cache-node-loss:cache-1', healedAt: H, rewarmMs: 2000, bucketsObserved: 10 },
    ]);

    const result = cacheEffectChecker().check(run);
    assert.deepEqual([result.valid, result.value, result.unit], [true, 0.5, 'ratio']);
    assert.match(
      result.summary,
      /hit ratio 90\.00% → 50\.00% during fault; DB reads ×5\.00; re-warmed 2000 ms after heal/,
    );
    const strict = cacheEffectChecker({ maxHitRatioDip: 0.3, maxRewarmMs: '3s' }).check(run);
    assert.equal(strict.valid, false);
    assert.match(strict.summary, /hit-ratio dip 40\.00% \(limit ≤ 30\.00%\)/);
    assert.equal(cacheEffectChecker({ maxRewarmMs: 1000 }).check(run).valid, false);
    assert.equal(cacheEffectChecker({ maxDbSurge: 5, maxRewarmMs: 2000 }).check(run).valid, true);
  });

  it('re-warmed means within rewarmTolerance of the baseline ratio', () => {
    const run = record({ samples: reads(dented), events: [actuated(10_000, 'c'), healed(H, 'c')] });
    // 0.5 ≥ 0.9 × (1 − 0.5): the half-warm buckets right after the heal already count.
    assert.equal(analyzeCacheEffect(run, { rewarmTolerance: 0.5 }).app.rewarm[0]?.rewarmMs, 0);
  });

  it('fails when the cache never re-warms after the heal', () => {
    const cold = (t: number) => (t < 10_000 ? 'hit' : 'miss');
    const run = record({ samples: reads(cold), events: [actuated(10_000, 'c'), healed(H, 'c')] });
    const result = cacheEffectChecker().check(run);
    assert.equal(result.valid, false);
    assert.match(result.summary, /not re-warmed — cache not re-warmed after c/);
    assert.equal(result.value, 0);
  });

  it('CDN: availability of cacheable vs uncached assets per phase, and the share served from cache', () => {
    const statics = every(0, 30_000, 100, (t) => {
      const cacheable = (t / 100) % 5 !== 0; // 80 % cacheable
      const request = `GET /static/* (${cacheable ? 'cacheable' : 'uncached'})`;
      const detail = { cacheable };
      const outage = t >= 10_000 && t < H;
      if (!cacheable && outage) return failed(t, { request, detail, status: 503, cache: 'miss' });
      return ok(t, { request, detail, cache: cacheable && t >= 1000 ? 'hit' : 'miss' });
    });
    const run = record({
      samples: statics,
      events: [actuated(10_000, 'cdn-origin-outage'), healed(H, 'cdn-origin-outage')],
    });
    const a = analyzeCacheEffect(run);
    assert.equal(a.app.lookups, 0, 'static samples are not app cache lookups');
    assert.deepEqual(a.cdn.byPhase.fault, {
      cacheable: { requests: 80, ok: 80, availability: 1, hits: 80, servedFromCache: 1 },
      uncached: { requests: 20, ok: 0, availability: 0, hits: 0, servedFromCache: null },
      servedFromCache: 1,
    });
    assert.equal(a.cdn.byPhase.baseline?.uncached.availability, 1);
    assert.equal(a.cdn.byPhase.baseline?.cacheable.hits, 72, 'the first second fills the cache');

    const result = cacheEffectChecker({ minCacheableAvailability: 0.99 }).check(run);
    assert.deepEqual([result.valid, result.value], [true, 1]);
    assert.match(
      result.summary,
      /CDN during fault: cacheable 100\.00% \/ uncached 0\.00% available, 100\.00% from cache/,
    );
  });
});
