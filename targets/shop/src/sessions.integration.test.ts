/**
 * Sessions: in memory (stateful: lost with the instance) and in a real Redis (stateless tier: any
 * instance serves any session, even one built after the first is gone).
 */
import assert from 'node:assert/strict';
import type { LocalService } from '../../../harness/runtime/local/local-service.ts';
import { startRedis } from '../../../harness/runtime/local/redis.ts';
import { LocalSession } from '../../../harness/runtime/local/session.ts';
import { freePort } from '../../../harness/runtime/ports.ts';
import { SESSION_COOKIE } from './sessions.ts';
import { Browser, closeSession, type RunningShop, shopConfig, startShop } from './testing.ts';

describe('shop sessions', function () {
  this.timeout(20_000);
  let session: LocalSession;
  let redis: LocalService;
  const shops: RunningShop[] = [];

  async function shop(store: 'memory' | 'redis', name = 'web-1'): Promise<RunningShop> {
    const sessionRedis = store === 'redis' ? { host: '127.0.0.1', port: redis.ports.redis } : undefined;
    const started = await startShop(
      shopConfig({ name, sessionStore: store, sessionRedis, dbTimeoutMs: 300 }),
    );
    shops.push(started);
    return started;
  }

  before(async () => {
    session = LocalSession.open();
    redis = await startRedis(session, 'sessions', await freePort());
  });

  after(async () => {
    await Promise.all(shops.map((s) => s.close()));
    await closeSession(session, [redis]);
  });

  it('memory: login, add to the cart, read the cart', async () => {
    const { url } = await shop('memory');
    const b = new Browser();
    const login = await b.post(`${url}/login`, { user: 'ada' });
    assert.equal(login.status, 200);
    assert.deepEqual(login.body, { user: 'ada' });
    const setCookie = login.headers.getSetCookie().find((c) => c.startsWith(`${SESSION_COOKIE}=`)) ?? '';
    assert.match(setCookie, /HttpOnly/i);
    assert.doesNotMatch(setCookie, /Secure/i, 'plain HTTP on loopback');
    assert.deepEqual((await b.get(`${url}/cart`)).body, { user: 'ada', items: [] });
    await b.post(`${url}/cart/items`, { sku: 'A-1', qty: 2 });
    const added = await b.post(`${url}/cart/items`, { sku: 'A-1', qty: 1 });
    assert.deepEqual(added.body, { items: [{ sku: 'A-1', qty: 3 }] });
    await b.post(`${url}/cart/items`, { sku: 'B-7', qty: 1 });
    const cart = await b.get(`${url}/cart`);
    assert.equal(cart.status, 200);
    assert.deepEqual(cart.body, {
      user: 'ada',
      items: [
        { sku: 'A-1', qty: 3 },
        { sku: 'B-7', qty: 1 },
      ],
    });
  });

  it('401 without a session; 400 for a bad login or item', async () => {
    const { url } = await shop('memory');
    const b = new Browser();
    assert.deepEqual((await b.get(`${url}/cart`)).body, { error: 'no session' });
    assert.equal((await b.get(`${url}/cart`)).status, 401);
    assert.equal((await b.post(`${url}/cart/items`, { sku: 'A-1', qty: 1 })).status, 401);
    assert.equal(b.cookies.size, 0, 'no session is created for anonymous requests');
    assert.equal((await b.post(`${url}/login`, {})).status, 400);
    await b.post(`${url}/login`, { user: 'bob' });
    assert.equal((await b.post(`${url}/cart/items`, { sku: 'A-1', qty: 0 })).status, 400);
  });

  it('memory: another instance does not know the session (it is lost with its server)', async () => {
    const first = await shop('memory', 'web-1');
    const second = await shop('memory', 'web-2');
    const b = new Browser();
    await b.post(`${first.url}/login`, { user: 'cy' });
    const elsewhere = await b.get(`${second.url}/cart`);
    assert.equal(elsewhere.status, 401);
    assert.deepEqual(elsewhere.body, { error: 'no session' });
    assert.equal(elsewhere.headers.get('x-served-by'), 'web-2');
  });

  it('redis: the session survives on other instances, even one built after the first is closed', async () => {
    const first = await shop('redis', 'web-1');
    const second = await shop('redis', 'web-2');
    const b = new Browser();
    await b.post(`${first.url}/login`, { user: 'dee' });
    await b.post(`${second.url}/cart/items`, { sku: 'C-3', qty: 4 });
    assert.deepEqual((await b.get(`${first.url}/cart`)).body, {
      user: 'dee',
      items: [{ sku: 'C-3', qty: 4 }],
    });
    await first.close();
    await second.close();
    const third = await shop('redis', 'web-3');
    const cart = await b.get(`${third.url}/cart`);
    assert.equal(cart.status, 200);
    assert.deepEqual(cart.body, { user: 'dee', items: [{ sku: 'C-3', qty: 4 }] });
  });

  it('redis: a dead session store answers 503 quickly, and only for session routes', async () => {
    const { url } = await shop('redis', 'web-4');
    const b = new Browser();
    await b.post(`${url}/login`, { user: 'eve' });
    await redis.kill();
    const cart = await b.get(`${url}/cart`);
    assert.equal(cart.status, 503);
    assert.match(String((cart.body as { error: string }).error), /session store unavailable/);
    assert.ok(cart.ms < 300, `${cart.ms.toFixed(0)} ms`);
    const login = await new Browser().post(`${url}/login`, { user: 'fay' });
    assert.equal(login.status, 503, 'saving a new session fails as 503 too, not 500');
    const health = await b.get(`${url}/healthz`);
    assert.equal(health.status, 200, 'health checks never touch the session store, cookie or not');
    assert.equal((await b.get(`${url}/static/app.css`)).status, 200);
  });
});
