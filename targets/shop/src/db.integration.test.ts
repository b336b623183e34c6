/**
 * Read/write split against a real primary with two streaming replicas: where reads and writes go,
 * versions, error statuses, and what the tier does when database nodes die or freeze.
 */
import assert from 'node:assert/strict';

import type { Proxy as ApiProxy } from 'toxiproxy-node-client';
import { type PostgresNode, withClient } from '../../../harness/runtime/local/postgres.ts';
import { LocalSession } from '../../../harness/runtime/local/session.ts';
import type { ToxiproxyServer } from '../../../harness/toxiproxy/api-server.ts';
import { seedDatabase } from './seed.ts';
import {
  Browser,
  closeSession,
  createProxy,
  PRODUCTS,
  type RunningShop,
  shopConfig,
  startSeededPrimary,
  startShop,
  startStreamingReplica,
  startToxiproxy,
  waitReplayed,
} from './testing.ts';

describe('shop database tier (real PostgreSQL primary + 2 replicas)', function () {
  this.timeout(30_000);
  let session: LocalSession;
  let primary: PostgresNode;
  let replicas: PostgresNode[];
  let shop: RunningShop;
  let toxiproxy: ToxiproxyServer;
  let primaryLink: ApiProxy;
  const browser = () => new Browser();
  const DB_TIMEOUT_MS = 400;

  before(async () => {
    session = LocalSession.open();
    primary = await startSeededPrimary(session);
    replicas = await Promise.all(
      ['pg-replica-1', 'pg-replica-2'].map((name) => startStreamingReplica(session, name, primary.port)),
    );
    await Promise.all(replicas.map((r) => waitReplayed(primary.port, r.port)));
    // The app reaches the primary through a proxy, as in the topology, so the link can be frozen.
    const started = await startToxiproxy();
    toxiproxy = started.server;
    const link = await createProxy(started.api, 'web-1->pg-primary', primary.port);
    primaryLink = link.proxy;
    shop = await startShop(
      shopConfig({
        primary: { port: link.port },
        replicas: replicas.map((r, i) => ({ name: `pg-replica-${i + 1}`, port: r.port })),
        dbTimeoutMs: DB_TIMEOUT_MS,
      }),
    );
  });

  after(async () => {
    await shop?.close();
    await toxiproxy?.close();
    await closeSession(session, [primary?.service, ...(replicas ?? []).map((r) => r.service)]);
  });

  it('seeds idempotently: a second run changes nothing', async () => {
    await withClient(primary.port, async (client) => {
      await seedDatabase(client, PRODUCTS);
      const { rows } = await client.query('SELECT count(*)::int AS n, max(version) AS v FROM products');
      assert.deepEqual(rows[0], { n: PRODUCTS, v: 1 });
      const { rows: one } = await client.query('SELECT name, price_cents FROM products WHERE id = 7');
      assert.deepEqual(one[0], { name: 'Product 00007', price_cents: 100 + ((7 * 7919) % 99900) });
    });
  });

  it('serves reads from the replicas in turn, with the row and its version', async () => {
    const b = browser();
    const nodes = new Set<string>();
    for (let i = 0; i < 4; i++) {
      const r = await b.get(`${shop.url}/products/3`);
      assert.equal(r.status, 200);
      assert.deepEqual(r.body, {
        id: 3,
        name: 'Product 00003',
        price_cents: 100 + ((3 * 7919) % 99900),
        version: 1,
      });
      assert.equal(r.headers.get('x-version'), '1');
      assert.equal(r.headers.get('x-cache'), 'off');
      assert.equal(r.headers.get('x-served-by'), 'web-1');
      assert.equal(r.headers.get('x-db-fallback'), null);
      nodes.add(r.headers.get('x-read-from') ?? '');
    }
    assert.deepEqual([...nodes].sort(), ['pg-replica-1', 'pg-replica-2']);
  });

  it('sends writes to the primary; each write adds one to the version', async () => {
    const b = browser();
    for (const expected of [2, 3, 4]) {
      const r = await b.post(`${shop.url}/products/10`);
      assert.equal(r.status, 200);
      assert.deepEqual(r.body, { id: 10, version: expected });
      assert.equal(r.headers.get('x-version'), String(expected));
      assert.equal(r.headers.get('x-read-from'), 'pg-primary');
      assert.equal(r.headers.get('x-cache-write'), 'off');
    }
    assert.ok(b.cookies.has('shop-rw'), 'the write sets the read-your-writes cookie');
    const priced = await b.post(`${shop.url}/products/10`, { price_cents: 4242 });
    assert.deepEqual(priced.body, { id: 10, version: 5 });
    await Promise.all(replicas.map((r) => waitReplayed(primary.port, r.port)));
    const read = await browser().get(`${shop.url}/products/10`);
    assert.deepEqual(read.body, { id: 10, name: 'Product 00010', price_cents: 4242, version: 5 });
  });

  it('answers 400 for a non-integer id or bad body, 404 for an unknown id', async () => {
    const b = browser();
    for (const path of ['/products/abc', '/products/1.5', '/products/1e3']) {
      const r = await b.get(`${shop.url}${path}`);
      assert.equal(r.status, 400, path);
      assert.deepEqual(r.body, { error: 'id must be an integer' });
    }
    const missing = await b.get(`${shop.url}/products/${PRODUCTS + 1}`);
    assert.equal(missing.status, 404);
    assert.ok(missing.headers.get('x-read-from')?.startsWith('pg-replica-'));
    assert.equal((await b.get(`${shop.url}/products/99999999999`)).status, 404, 'beyond int4: no such row');
    assert.equal((await b.post(`${shop.url}/products/${PRODUCTS + 1}`)).status, 404);
    assert.equal((await b.post(`${shop.url}/products/1`, { price_cents: -1 })).status, 400);
    assert.equal((await b.post(`${shop.url}/products/1`, { price_cents: 'free' })).status, 400);
    const empty = await b.request(`${shop.url}/products/2`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
    });
    assert.equal(empty.status, 200, 'a JSON content type with no body is a plain write');
  });

  it('reads from the primary when no replicas are configured', async () => {
    const solo = await startShop(shopConfig({ name: 'web-solo', primary: { port: primary.port } }));
    try {
      const r = await browser().get(`${solo.url}/products/1`);
      assert.equal(r.status, 200);
      assert.equal(r.headers.get('x-read-from'), 'pg-primary');
      assert.equal(r.headers.get('x-served-by'), 'web-solo');
    } finally {
      await solo.close();
    }
  });

  it('a frozen link to the primary turns writes into 503 within dbTimeoutMs; replicas keep serving reads', async () => {
    // timeout 0: the connections stay open but nothing comes back, like a frozen server.
    const freeze = await primaryLink.addToxic({
      name: 'freeze',
      type: 'timeout',
      stream: 'downstream',
      toxicity: 1,
      attributes: { timeout: 0 },
    });
    try {
      const write = await browser().post(`${shop.url}/products/5`);
      assert.equal(write.status, 503);
      assert.match(String((write.body as { error: string }).error), /pg-primary unavailable: .*timed? ?out/i);
      // tolerance: +150 ms over the 400 ms budget for timers and the HTTP round trip
      assert.ok(
        write.ms >= DB_TIMEOUT_MS - 20 && write.ms < DB_TIMEOUT_MS + 150,
        `503 after ${write.ms.toFixed(0)} ms`,
      );
      const read = await browser().get(`${shop.url}/products/5`);
      assert.equal(read.status, 200);
      assert.match(read.headers.get('x-read-from') ?? '', /^pg-replica-/);
    } finally {
      await freeze.remove();
    }
    const after = await browser().post(`${shop.url}/products/5`);
    assert.equal(after.status, 200, 'writes work again once the link thaws');
  });

  it('a dead replica falls back to the primary and says so in x-db-fallback', async () => {
    await replicas[1]?.service.kill();
    const seen: string[] = [];
    for (let i = 0; i < 4; i++) {
      const r = await browser().get(`${shop.url}/products/4`);
      assert.equal(r.status, 200);
      seen.push(`${r.headers.get('x-read-from')} ${r.headers.get('x-db-fallback') ?? '-'}`);
    }
    assert.ok(seen.includes('pg-primary error:pg-replica-2'), seen.join(', '));
    assert.ok(seen.includes('pg-replica-1 -'), seen.join(', '));
  });

  it('with the primary killed: writes 503 at once, reads still served, healthz stays 200', async () => {
    await primary.service.kill();
    const write = await browser().post(`${shop.url}/products/6`);
    assert.equal(write.status, 503);
    assert.ok(write.ms < DB_TIMEOUT_MS, `a refused connection fails fast (${write.ms.toFixed(0)} ms)`);
    const b = browser();
    let fromReplica = 0;
    for (let i = 0; i < 4; i++) {
      const r = await b.get(`${shop.url}/products/6`);
      if (r.status === 200 && r.headers.get('x-read-from') === 'pg-replica-1') fromReplica++;
    }
    assert.ok(fromReplica >= 2, `reads served by the surviving replica: ${fromReplica} of 4`);
    const health = await b.get(`${shop.url}/healthz`);
    assert.equal(health.status, 200);
    assert.equal(health.body, 'ok');
  });

  it('with every database node dead: reads 503 quickly, never a hang; healthz stays 200', async () => {
    await replicas[0]?.service.kill();
    for (let i = 0; i < 3; i++) {
      const r = await browser().get(`${shop.url}/products/8`);
      assert.equal(r.status, 503);
      assert.ok(r.ms < DB_TIMEOUT_MS, `${r.ms.toFixed(0)} ms`);
      assert.equal(r.headers.get('x-served-by'), 'web-1');
    }
    assert.equal((await browser().get(`${shop.url}/healthz`)).status, 200);
  });
});
