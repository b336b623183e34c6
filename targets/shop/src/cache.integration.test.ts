/**
 * The product cache against three real Redis nodes: cache-aside with TTL, invalidation on write,
 * consistent hashing, and graceful degradation when a node dies or freezes.
 */
import assert from 'node:assert/strict';
import { createClient } from 'redis';
import type { LocalService } from '../../../harness/runtime/local/local-service.ts';
import type { PostgresNode } from '../../../harness/runtime/local/postgres.ts';
import { startRedis } from '../../../harness/runtime/local/redis.ts';
import { LocalSession } from '../../../harness/runtime/local/session.ts';
import { freePorts } from '../../../harness/runtime/ports.ts';
import { createRing, productKey } from './cache.ts';
import {
  Browser,
  closeSession,
  delay,
  PRODUCTS,
  type RunningShop,
  shopConfig,
  startSeededPrimary,
  startShop,
} from './testing.ts';

const NAMES = ['cache-1', 'cache-2', 'cache-3'];
const CACHE_TIMEOUT_MS = 100;
const TTL_SECONDS = 30;

describe('shop product cache (real Redis x3, consistent hashing)', function () {
  this.timeout(30_000);
  let session: LocalSession;
  let primary: PostgresNode;
  let nodes: LocalService[];
  let shop: RunningShop;
  const ring = createRing(NAMES);
  /** Product ids owned by each cache node, per the ring every web instance builds. */
  const owned = new Map<string, number[]>(NAMES.map((n) => [n, []]));
  for (let id = 1; id <= PRODUCTS; id++) owned.get(ring.get(productKey(id)))?.push(id);
  const idOn = (node: string, index: number) => owned.get(node)?.[index] as number;

  before(async () => {
    session = LocalSession.open();
    const ports = await freePorts(NAMES.length);
    [primary, ...nodes] = await Promise.all([
      startSeededPrimary(session),
      ...NAMES.map((name, i) => startRedis(session, name, ports[i] as number)),
    ] as const);
    shop = await startShop(
      shopConfig({
        primary: { port: primary.port },
        caches: NAMES.map((name, i) => ({ name, port: nodes[i]?.ports.redis })),
        cacheTimeoutMs: CACHE_TIMEOUT_MS,
        cacheTtlSeconds: TTL_SECONDS,
      }),
    );
  });

  after(async () => {
    await shop?.close();
    await closeSession(session, [primary?.service, ...(nodes ?? [])]);
  });

  it('spreads the keys over every node', () => {
    for (const name of NAMES) {
      const share = (owned.get(name)?.length ?? 0) / PRODUCTS;
      assert.ok(share > 0.15 && share < 0.55, `${name} owns ${(share * 100).toFixed(0)}% of the keys`);
    }
  });

  it('misses, then hits on the node the ring names, with a TTL', async () => {
    const id = idOn('cache-2', 0);
    const b = new Browser();
    const first = await b.get(`${shop.url}/products/${id}`);
    assert.equal(first.status, 200);
    assert.equal(first.headers.get('x-cache'), 'miss');
    assert.equal(first.headers.get('x-cache-node'), 'cache-2');
    assert.equal(first.headers.get('x-read-from'), 'pg-primary');
    const second = await b.get(`${shop.url}/products/${id}`);
    assert.equal(second.headers.get('x-cache'), 'hit');
    assert.equal(second.headers.get('x-cache-node'), 'cache-2');
    assert.equal(second.headers.get('x-read-from'), null, 'a hit never touches the database');
    assert.equal(second.headers.get('x-version'), '1');
    assert.deepEqual(second.body, first.body);

    const direct = createClient({ socket: { host: '127.0.0.1', port: nodes[1]?.ports.redis } });
    await direct.connect();
    try {
      const ttl = await direct.ttl(productKey(id));
      assert.ok(ttl > 0 && ttl <= TTL_SECONDS, `TTL ${ttl}`);
    } finally {
      direct.destroy();
    }
  });

  it('a write invalidates the key: the next read misses and caches the new version', async () => {
    const id = idOn('cache-1', 0);
    const b = new Browser();
    await b.get(`${shop.url}/products/${id}`);
    assert.equal((await b.get(`${shop.url}/products/${id}`)).headers.get('x-cache'), 'hit');
    const write = await b.post(`${shop.url}/products/${id}`);
    assert.equal(write.headers.get('x-cache-write'), 'del');
    const reread = await b.get(`${shop.url}/products/${id}`);
    assert.equal(reread.headers.get('x-cache'), 'miss');
    assert.equal(reread.headers.get('x-version'), '2');
    const cached = await b.get(`${shop.url}/products/${id}`);
    assert.equal(cached.headers.get('x-cache'), 'hit');
    assert.equal(cached.headers.get('x-version'), '2');
  });

  it('x-cache: off when no caches are configured', async () => {
    const plain = await startShop(shopConfig({ primary: { port: primary.port } }));
    try {
      const r = await new Browser().get(`${plain.url}/products/1`);
      assert.equal(r.headers.get('x-cache'), 'off');
      assert.equal(r.headers.get('x-cache-node'), null);
    } finally {
      await plain.close();
    }
  });

  it('a killed node degrades its keys to database reads (200, x-cache: error, fast); it is used again once back', async () => {
    const b = new Browser();
    const victim = nodes[2] as LocalService;
    const id = idOn('cache-3', 1);
    const other = idOn('cache-1', 1);
    await b.get(`${shop.url}/products/${other}`);
    await victim.kill();
    for (let i = 0; i < 3; i++) {
      const r = await b.get(`${shop.url}/products/${id}`);
      assert.equal(r.status, 200);
      assert.equal(r.headers.get('x-cache'), 'error');
      assert.equal(r.headers.get('x-cache-node'), 'cache-3');
      assert.equal(r.headers.get('x-read-from'), 'pg-primary');
      // tolerance: a refused connection fails at once; allow the cache timeout plus 50 ms
      assert.ok(r.ms < CACHE_TIMEOUT_MS + 50, `${r.ms.toFixed(0)} ms`);
    }
    const write = await b.post(`${shop.url}/products/${id}`);
    assert.equal(write.status, 200, 'writes succeed without their cache node');
    assert.equal(write.headers.get('x-cache-write'), 'error');
    assert.equal(
      (await b.get(`${shop.url}/products/${other}`)).headers.get('x-cache'),
      'hit',
      'other nodes unaffected',
    );

    await victim.start();
    const deadline = Date.now() + 5000;
    let status = 'error';
    while (status === 'error' && Date.now() < deadline) {
      await delay(50);
      status = (await b.get(`${shop.url}/products/${id}`)).headers.get('x-cache') ?? '';
    }
    assert.equal(status, 'miss', 'the client reconnected in the background');
    assert.equal((await b.get(`${shop.url}/products/${id}`)).headers.get('x-cache'), 'hit');
  });

  it('a frozen node costs at most cacheTimeoutMs, then is skipped until it answers again', async () => {
    const b = new Browser();
    const frozen = nodes[1] as LocalService;
    const id = idOn('cache-2', 2);
    await frozen.pause();
    try {
      const first = await b.get(`${shop.url}/products/${id}`);
      assert.equal(first.status, 200);
      assert.equal(first.headers.get('x-cache'), 'error');
      // tolerance: the 100 ms timeout, minus 5 ms timer slack, plus 60 ms for the DB read and HTTP
      assert.ok(
        first.ms >= CACHE_TIMEOUT_MS - 5 && first.ms < CACHE_TIMEOUT_MS + 60,
        `${first.ms.toFixed(0)} ms`,
      );
      const next = await b.get(`${shop.url}/products/${id}`);
      assert.equal(next.headers.get('x-cache'), 'error');
      assert.ok(
        next.ms < CACHE_TIMEOUT_MS / 2,
        `skipped while the breaker is open: ${next.ms.toFixed(0)} ms`,
      );
    } finally {
      await frozen.resume();
    }
    const deadline = Date.now() + 5000;
    let status = 'error';
    while (status === 'error' && Date.now() < deadline) {
      await delay(100);
      status = (await b.get(`${shop.url}/products/${id}`)).headers.get('x-cache') ?? '';
    }
    assert.ok(status === 'miss' || status === 'hit', `back in use after the thaw (${status})`);
  });
});
