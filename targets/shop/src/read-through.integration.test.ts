/**
 * The stampede guards against a real Redis: how many database reads one instance makes when many
 * requests want a missing or expiring key at once. The database read is a counted, 100 ms load
 * (what a slow database or an expensive query costs), so concurrency is certain.
 */
import assert from 'node:assert/strict';
import { createClient } from 'redis';
import type { LocalService } from '../../../harness/runtime/local/local-service.ts';
import { startRedis } from '../../../harness/runtime/local/redis.ts';
import { LocalSession } from '../../../harness/runtime/local/session.ts';
import { freePorts } from '../../../harness/runtime/ports.ts';
import { Cache } from './cache.ts';
import type { StampedeGuard } from './config.ts';
import type { ReadResult } from './db.ts';
import { type ReadStatus, ReadThrough } from './read-through.ts';
import { closeSession, delay } from './testing.ts';

const LOAD_MS = 100;
const CONCURRENT = 10;

/** A database read that takes LOAD_MS and counts itself; `fail` makes the next ones reject. */
function slowLoad() {
  const state = { calls: 0, fail: false };
  const load = async (): Promise<ReadResult> => {
    state.calls++;
    await delay(LOAD_MS);
    if (state.fail) throw new Error('database down');
    return { product: { id: 1, name: 'p1', price_cents: 100, version: state.calls }, node: 'pg-replica-1' };
  };
  return { state, load };
}

const tally = (statuses: ReadStatus[]) =>
  Object.fromEntries([...new Set(statuses)].sort().map((s) => [s, statuses.filter((x) => x === s).length]));

describe('shop read-through stampede guards (real Redis, a 100 ms database read)', function () {
  this.timeout(30_000);
  let session: LocalSession;
  let redis: LocalService;
  let cache: Cache;
  let n = 0;
  /** A key no earlier spec touched. */
  const freshKey = () => `product:stampede-${++n}`;
  const through = (guard: StampedeGuard, ttlSeconds: number, random?: () => number) =>
    new ReadThrough(cache, guard, ttlSeconds, random);
  const burst = (reads: ReadThrough, key: string, load: () => Promise<ReadResult>) =>
    Promise.all(Array.from({ length: CONCURRENT }, () => reads.read(key, load)));

  before(async () => {
    session = LocalSession.open();
    const [port] = await freePorts(1);
    redis = await startRedis(session, 'cache-1', port as number);
    cache = new Cache([{ name: 'cache-1', host: '127.0.0.1', port: redis.ports.redis as number }], {
      timeoutMs: 500,
      ttlSeconds: 30,
    });
    await cache.ready(2000);
  });

  after(async () => {
    await cache?.close();
    await closeSession(session, [redis]);
  });

  it('none: every concurrent miss of a key reads the database (the stampede)', async () => {
    const { state, load } = slowLoad();
    const reads = await burst(through('none', 30), freshKey(), load);
    assert.deepEqual(tally(reads.map((r) => r.status)), { miss: CONCURRENT });
    assert.equal(state.calls, CONCURRENT);
  });

  it('single-flight: concurrent misses wait for one read and share its answer; the next read hits', async () => {
    const { state, load } = slowLoad();
    const guard = through('single-flight', 30);
    const key = freshKey();
    const reads = await burst(guard, key, load);
    assert.deepEqual(tally(reads.map((r) => r.status)), { coalesced: CONCURRENT - 1, miss: 1 });
    assert.equal(state.calls, 1);
    assert.ok(reads.every((r) => r.product?.version === 1));
    assert.equal((await guard.read(key, load)).status, 'hit');
  });

  it('single-flight: when the one read fails, every request waiting on it fails with it', async () => {
    const { state, load } = slowLoad();
    state.fail = true;
    const results = await Promise.allSettled(
      Array.from({ length: CONCURRENT }, () => through('single-flight', 30).read(freshKey(), load)),
    );
    assert.ok(results.every((r) => r.status === 'rejected'));
    const shared = through('single-flight', 30);
    const key = freshKey();
    const same = await Promise.allSettled([shared.read(key, load), shared.read(key, load)]);
    assert.deepEqual(
      same.map((r) => r.status),
      ['rejected', 'rejected'],
    );
    assert.equal(state.calls, CONCURRENT + 1, 'the second request waited on the first one’s read');
  });

  it('xfetch: a hit refreshes early only when its draw says so, weighted by the last read’s cost', async () => {
    const { state, load } = slowLoad();
    const key = freshKey();
    assert.equal((await through('xfetch', 30).read(key, load)).status, 'miss');
    // −ln(1) = 0: no head start, and the entry is 29 s from expiry.
    assert.equal((await through('xfetch', 30, () => 1).read(key, load)).status, 'hit');
    // −ln(1e-200) ≈ 460: 460 × the ~100 ms read is 46 s ahead, past the 30 s TTL.
    const early = await through('xfetch', 30, () => 1e-200).read(key, load);
    assert.equal(early.status, 'early');
    assert.equal(early.product?.version, 2, 'the early refresh read the database');
    assert.equal(state.calls, 2);
  });

  it('stale-while-revalidate: past the TTL a key is served stale while one read refreshes it', async () => {
    const { state, load } = slowLoad();
    const guard = through('stale-while-revalidate', 1);
    const key = freshKey();
    assert.equal((await guard.read(key, load)).status, 'miss');
    const direct = createClient({ socket: { host: '127.0.0.1', port: redis.ports.redis as number } });
    await direct.connect();
    try {
      const ttl = await direct.ttl(key);
      assert.ok(ttl > 1 && ttl <= 2, `kept one TTL past freshness: ${ttl} s`);
    } finally {
      direct.destroy();
    }
    await delay(1050);
    const reads = await burst(guard, key, load);
    assert.deepEqual(tally(reads.map((r) => r.status)), { stale: CONCURRENT - 1, 'stale-refresh': 1 });
    assert.ok(
      reads.every((r) => r.product?.version === 1),
      'the stale copy, at once',
    );
    await delay(LOAD_MS + 100);
    const fresh = await guard.read(key, load);
    assert.equal(fresh.status, 'hit');
    assert.equal(fresh.product?.version, 2, 'the background read refreshed it');
    assert.equal(state.calls, 2);
  });

  it('stale-while-revalidate: a failed refresh leaves the stale copy in place', async () => {
    const { state, load } = slowLoad();
    const guard = through('stale-while-revalidate', 1);
    const key = freshKey();
    await guard.read(key, load);
    await delay(1050);
    state.fail = true;
    assert.equal((await guard.read(key, load)).status, 'stale-refresh');
    await delay(LOAD_MS + 100);
    const again = await guard.read(key, load);
    assert.equal(again.status, 'stale-refresh', 'a new refresh once the failed one is over');
    assert.equal(again.product?.version, 1);
  });
});
