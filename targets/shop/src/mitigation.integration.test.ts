/**
 * Read-your-writes against a replica made to lag for real: its WAL stream runs through an embedded
 * Toxiproxy proxy (pg-replica-1->pg-primary) with a 500 ms downstream latency toxic.
 */
import assert from 'node:assert/strict';
import type { LocalService } from '../../../harness/runtime/local/local-service.ts';
import type { PostgresNode } from '../../../harness/runtime/local/postgres.ts';
import { startRedis } from '../../../harness/runtime/local/redis.ts';
import { LocalSession } from '../../../harness/runtime/local/session.ts';
import { freePort } from '../../../harness/runtime/ports.ts';
import type { ToxiproxyServer } from '../../../harness/toxiproxy/api-server.ts';
import type { Mitigation } from './config.ts';
import {
  Browser,
  closeSession,
  createProxy,
  delay,
  type RunningShop,
  shopConfig,
  startSeededPrimary,
  startShop,
  startStreamingReplica,
  startToxiproxy,
  waitReplayed,
} from './testing.ts';

const LAG_MS = 500;

describe('shop read-your-writes mitigations (replica lagging 500 ms through Toxiproxy)', function () {
  this.timeout(30_000);
  let session: LocalSession;
  let primary: PostgresNode;
  let replica: PostgresNode;
  let cache: LocalService;
  let toxiproxy: ToxiproxyServer;
  const shops: RunningShop[] = [];

  async function shop(mitigation: Mitigation, extra: Record<string, unknown> = {}): Promise<RunningShop> {
    const started = await startShop(
      shopConfig({
        primary: { port: primary.port },
        replicas: [{ name: 'pg-replica-1', port: replica.port }],
        mitigation,
        ...extra,
      }),
    );
    shops.push(started);
    return started;
  }

  /** Reads until `accept` holds (bounded), returning the last reply. */
  async function readUntil(b: Browser, url: string, accept: (version: string, node: string) => boolean) {
    const deadline = Date.now() + 5000;
    for (;;) {
      const r = await b.get(url);
      if (
        accept(r.headers.get('x-version') ?? '', r.headers.get('x-read-from') ?? '') ||
        Date.now() > deadline
      )
        return r;
      await delay(25);
    }
  }

  before(async () => {
    session = LocalSession.open();
    const started = await startToxiproxy();
    toxiproxy = started.server;
    [primary, cache] = await Promise.all([
      startSeededPrimary(session),
      startRedis(session, 'cache-1', await freePort()),
    ]);
    // The replica's upstream is the proxy, so its primary_conninfo (and all WAL) goes through it.
    const link = await createProxy(started.api, 'pg-replica-1->pg-primary', primary.port);
    replica = await startStreamingReplica(session, 'pg-replica-1', primary.port, link.port);
    await waitReplayed(primary.port, replica.port);
    await link.proxy.addToxic({
      name: 'lag',
      type: 'latency',
      stream: 'downstream',
      toxicity: 1,
      attributes: { latency: LAG_MS, jitter: 0 },
    });
  });

  after(async () => {
    await Promise.all(shops.map((s) => s.close()));
    await toxiproxy?.close();
    await closeSession(session, [primary?.service, replica?.service, cache]);
  });

  it('none: a read right after a write returns the older version from the replica', async () => {
    const { url } = await shop('none');
    const b = new Browser();
    const write = await b.post(`${url}/products/21`);
    assert.equal(write.headers.get('x-version'), '2');
    const read = await b.get(`${url}/products/21`);
    assert.equal(read.headers.get('x-read-from'), 'pg-replica-1');
    assert.equal(read.headers.get('x-version'), '1', 'stale: the replica has not replayed the write yet');
    const later = await readUntil(b, `${url}/products/21`, (v) => v === '2');
    assert.equal(later.headers.get('x-version'), '2', 'the replica catches up after the lag');
  });

  it('primary-after-write: the writer reads the new version from the primary during the window', async () => {
    const windowMs = 800;
    const { url } = await shop('primary-after-write', { primaryAfterWriteMs: windowMs });
    const writer = new Browser();
    await writer.post(`${url}/products/22`);
    const own = await writer.get(`${url}/products/22`);
    assert.equal(own.headers.get('x-read-from'), 'pg-primary');
    assert.equal(own.headers.get('x-version'), '2');
    const stranger = await new Browser().get(`${url}/products/22`);
    assert.equal(stranger.headers.get('x-read-from'), 'pg-replica-1', 'other clients still read replicas');
    assert.equal(stranger.headers.get('x-version'), '1');
    await delay(windowMs + 50);
    const after = await writer.get(`${url}/products/22`);
    assert.equal(after.headers.get('x-read-from'), 'pg-replica-1', 'back to the replicas after the window');
    assert.equal(after.headers.get('x-version'), '2');
  });

  it('the read-your-writes cookie works across web instances (no shared server state)', async () => {
    const a = await shop('primary-after-write', { name: 'web-1' });
    const c = await shop('primary-after-write', { name: 'web-2' });
    const b = new Browser();
    await b.post(`${a.url}/products/23`);
    const read = await b.get(`${c.url}/products/23`);
    assert.equal(read.headers.get('x-served-by'), 'web-2');
    assert.equal(read.headers.get('x-read-from'), 'pg-primary');
    assert.equal(read.headers.get('x-version'), '2');
  });

  it('lsn: reads the primary until a replica has replayed the write, then the replica', async () => {
    const { url } = await shop('lsn');
    const b = new Browser();
    await b.post(`${url}/products/24`);
    assert.match(decodeURIComponent(b.cookies.get('shop-rw') ?? ''), /"lsn":"[0-9A-F]+\/[0-9A-F]+"/);
    const read = await b.get(`${url}/products/24`);
    assert.equal(read.headers.get('x-version'), '2');
    assert.equal(read.headers.get('x-read-from'), 'pg-primary');
    assert.equal(read.headers.get('x-db-fallback'), 'lagging');
    const later = await readUntil(b, `${url}/products/24`, (_v, node) => node === 'pg-replica-1');
    assert.equal(later.headers.get('x-read-from'), 'pg-replica-1');
    assert.equal(later.headers.get('x-version'), '2', 'a replica is only used once it has the write');
  });

  it('write-through-cache: the write puts the new version in the cache, which serves the next read', async () => {
    const caches = [{ name: 'cache-1', port: cache.ports.redis }];
    const { url } = await shop('write-through-cache', { caches });
    const b = new Browser();
    assert.equal((await b.get(`${url}/products/25`)).headers.get('x-cache'), 'miss');
    const write = await b.post(`${url}/products/25`);
    assert.equal(write.headers.get('x-cache-write'), 'set');
    const read = await b.get(`${url}/products/25`);
    assert.equal(read.headers.get('x-cache'), 'hit');
    assert.equal(read.headers.get('x-version'), '2');
  });

  it('contrast: cache-aside without a mitigation caches the stale replica row after a write', async () => {
    const caches = [{ name: 'cache-1', port: cache.ports.redis }];
    const { url } = await shop('none', { caches });
    const b = new Browser();
    await b.get(`${url}/products/26`);
    assert.equal((await b.post(`${url}/products/26`)).headers.get('x-cache-write'), 'del');
    const miss = await b.get(`${url}/products/26`);
    assert.equal(miss.headers.get('x-cache'), 'miss');
    assert.equal(miss.headers.get('x-version'), '1');
    const hit = await b.get(`${url}/products/26`);
    assert.equal(hit.headers.get('x-cache'), 'hit');
    assert.equal(hit.headers.get('x-version'), '1', 'stale until the TTL expires');
  });
});
