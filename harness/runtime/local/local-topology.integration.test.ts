/**
 * The shop topology started for real on the local runtime: PostgreSQL with streaming replicas, Redis,
 * HAProxy, Varnish and shop processes, every link a Toxiproxy proxy. Each test leaves the topology as
 * it found it (toxics removed, services restarted).
 */
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { eventually } from '../../../test/helpers/eventually.ts';
import { composeFor } from '../../target/start-target.ts';
import { serverStates } from '../haproxy-api.ts';
import { type LocalTopology, startLocalTopology } from './local-topology.ts';
import { query } from './postgres.ts';

async function getJson(url: string, init?: RequestInit) {
  const response = await fetch(url, init);
  return {
    status: response.status,
    headers: response.headers,
    body: (await response.json()) as Record<string, unknown>,
  };
}

/** A client with a cookie jar, as a browser keeps its session. */
function browser(base: string) {
  const cookies = new Map<string, string>();
  return async (path: string, init: RequestInit = {}) => {
    const headers = new Headers(init.headers);
    if (cookies.size) headers.set('cookie', [...cookies].map(([k, v]) => `${k}=${v}`).join('; '));
    const response = await fetch(`${base}${path}`, { ...init, headers });
    for (const line of response.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const eq = pair.indexOf('=');
      cookies.set(pair.slice(0, eq), pair.slice(eq + 1));
    }
    return {
      status: response.status,
      servedBy: response.headers.get('x-served-by'),
      body: (await response.json()) as Record<string, unknown>,
    };
  };
}

async function waitStatus(topology: LocalTopology, server: string, status: RegExp): Promise<void> {
  await eventually(
    async () =>
      (await serverStates(topology.lbSocket)).find((s) => s.server === server)?.status.match(status)
        ? true
        : undefined,
    5000,
    `${server} ${status}`,
  );
}

const fastChecks = { intervalMs: 200, fall: 2, rise: 1 };

describe('local runtime: the shop topology, started for real', function () {
  this.timeout(60_000);
  let topology: LocalTopology;

  before(async () => {
    topology = await startLocalTopology(
      await composeFor({ web: 2, cache: 2, replicas: 1, healthCheck: fastChecks }),
    );
  });
  after(async () => {
    await topology?.stop();
  });

  it('started each service once what it waits for was ready, and the rest side by side', () => {
    const steps = topology.startReport?.steps ?? {};
    const at = (name: string) => {
      const step = steps[name];
      assert.ok(step, `${name} was started (steps: ${Object.keys(steps).join(', ')})`);
      return step;
    };
    for (const web of ['web-1', 'web-2']) {
      for (const before of ['toxiproxy', 'app-schema', 'pg-replica-1', 'cache-1', 'cache-2', 'sessions'])
        assert.ok(at(web).startedAt >= at(before).readyAt, `${web} started after ${before} was ready`);
    }
    assert.ok(at('app-schema').startedAt >= at('pg-primary').readyAt);
    assert.ok(at('pg-replica-1').startedAt >= at('pg-primary').readyAt);
    for (const edge of ['lb', 'cdn'])
      assert.ok(
        at(edge).startedAt >= Math.max(at('web-1').readyAt, at('web-2').readyAt),
        `${edge} after the instances`,
      );
    // Nothing waits for the others: the primary, cache and session nodes start at once.
    assert.ok(at('cache-1').startedAt < at('pg-primary').readyAt, 'the cache did not wait for the primary');
    const chain = (topology.startReport?.chain ?? []).map((s) => s.step);
    assert.ok(['lb', 'cdn'].includes(chain.at(-1) as string), `the chain ends at the edge: ${chain}`);
  });

  it('serves reads from a replica through the LB and writes to the primary', async () => {
    const read = await getJson(`${topology.endpoints.lb}/products/7`);
    assert.equal(read.status, 200);
    assert.equal(
      read.headers.get('x-read-from') ?? 'cache',
      read.headers.get('x-cache') === 'hit' ? 'cache' : 'pg-replica-1',
    );
    const write = await getJson(`${topology.endpoints.lb}/products/7`, { method: 'POST' });
    assert.equal(write.headers.get('x-read-from'), 'pg-primary');
    assert.equal(write.body.version, (read.body.version as number) + 1);
  });

  it('replicates through its proxy, and lags when that link gets latency', async () => {
    const primary = topology.service('pg-primary').ports.postgres as number;
    const replica = topology.service('pg-replica-1').ports.postgres as number;
    const [sender] = await query<{ state: string; client_port: number }>(
      primary,
      "SELECT state FROM pg_stat_replication WHERE application_name = 'pg-replica-1'",
    );
    assert.equal(sender?.state, 'streaming');
    const link = topology.proxy('pg-replica-1->pg-primary');
    const toxic = await link.addToxic({
      type: 'latency',
      stream: 'downstream',
      toxicity: 1,
      attributes: { latency: 1000, jitter: 0 },
    } as never);
    try {
      await query(primary, 'UPDATE products SET version = version + 1 WHERE id = 11');
      const [onPrimary] = await query<{ version: number }>(
        primary,
        'SELECT version FROM products WHERE id = 11',
      );
      await sleep(300);
      const [onReplica] = await query<{ version: number }>(
        replica,
        'SELECT version FROM products WHERE id = 11',
      );
      assert.equal(
        onReplica?.version,
        (onPrimary?.version as number) - 1,
        'the replica is behind while the link lags',
      );
    } finally {
      await toxic.remove();
    }
    await eventually(
      async () =>
        (await query<{ version: number }>(replica, 'SELECT version FROM products WHERE id = 11'))[0]
          ?.version === 2
          ? true
          : undefined,
      5000,
      'the replica to catch up',
    );
  });

  it('returns an older version to a read right after a write while the replica lags', async () => {
    const link = topology.proxy('pg-replica-1->pg-primary');
    const toxic = await link.addToxic({
      type: 'latency',
      stream: 'downstream',
      toxicity: 1,
      attributes: { latency: 1500, jitter: 0 },
    } as never);
    try {
      const write = await getJson(`${topology.endpoints.lb}/products/23`, { method: 'POST' });
      const read = await getJson(`${topology.endpoints.lb}/products/23`);
      assert.equal(read.headers.get('x-read-from'), 'pg-replica-1');
      assert.ok(
        (read.body.version as number) < (write.body.version as number),
        'a stale read: the write is not visible yet',
      );
    } finally {
      await toxic.remove();
    }
  });

  it('marks a killed web server DOWN in HAProxy, and UP again after restart', async () => {
    const web = topology.service('web-2');
    await web.kill('SIGKILL');
    await waitStatus(topology, 'web-2', /^DOWN/);
    for (let i = 0; i < 6; i++) {
      const response = await fetch(`${topology.endpoints.lb}/products/1`);
      assert.equal(response.headers.get('x-served-by'), 'web-1', 'the LB sends everything to the survivor');
      await response.arrayBuffer();
    }
    await web.restart();
    await waitStatus(topology, 'web-2', /^UP$/);
  });

  it('degrades to DB reads when a cache node is killed', async () => {
    const cache = topology.service('cache-1');
    await cache.kill('SIGKILL');
    try {
      const seen = new Set<string>();
      for (let id = 100; id < 120; id++) {
        const read = await getJson(`${topology.endpoints.lb}/products/${id}`);
        assert.equal(read.status, 200, 'no errors with a cache node down');
        seen.add(read.headers.get('x-cache') ?? '');
      }
      assert.ok(seen.has('error'), 'keys on the dead node are read from the DB (x-cache: error)');
    } finally {
      await cache.restart();
    }
  });

  it('serves cached assets from the CDN while the origin link is down, and fails uncached ones', async () => {
    const cdn = topology.endpoints.cdn;
    const first = await fetch(`${cdn}/static/app.css`);
    assert.equal(first.status, 200);
    await first.arrayBuffer();
    const origin = topology.proxy('cdn->lb');
    await origin.update({ enabled: false } as never);
    try {
      const cached = await fetch(`${cdn}/static/app.css`);
      assert.equal(cached.status, 200);
      assert.equal(cached.headers.get('x-cache'), 'hit');
      await cached.arrayBuffer();
      const uncached = await fetch(`${cdn}/static/logo.svg`);
      assert.ok(uncached.status >= 500, `an uncached asset fails (got ${uncached.status})`);
      await uncached.arrayBuffer();
    } finally {
      await origin.update({ enabled: true } as never);
    }
  });

  it('keeps sessions in Redis: a killed web server loses none', async () => {
    const client = browser(topology.endpoints.lb);
    assert.equal(
      (
        await client('/login', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: '{"user":"ada"}',
        })
      ).status,
      200,
    );
    await topology.service('web-1').kill('SIGKILL');
    await waitStatus(topology, 'web-1', /^DOWN/);
    try {
      for (let i = 0; i < 4; i++)
        assert.equal((await client('/cart')).status, 200, 'the session survives on any server');
    } finally {
      await topology.service('web-1').restart();
      await waitStatus(topology, 'web-1', /^UP$/);
    }
  });

  it('rejects impossible options before starting anything', async () => {
    await assert.rejects(
      composeFor({ web: 0, replicas: 0 }).then(startLocalTopology),
      /web: must be at least 1.*replicas: must be at least 1/,
    );
  });
});

describe('local runtime: the stateful variant (memory sessions, sticky LB)', function () {
  this.timeout(60_000);

  it('loses the sessions of a killed web server', async () => {
    await using topology = await startLocalTopology(
      await composeFor({ web: 2, cache: 0, replicas: 1, sessionStore: 'memory', healthCheck: fastChecks }),
    );
    const client = browser(topology.endpoints.lb);
    const login = await client('/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"user":"grace"}',
    });
    assert.equal(login.status, 200);
    const home = await client('/cart');
    assert.equal(home.status, 200);
    const holder = home.servedBy as string;
    assert.equal((await client('/cart')).servedBy, holder, 'the sticky cookie pins the client to one server');
    await topology.service(holder).kill('SIGKILL');
    await waitStatus(topology, holder, /^DOWN/);
    const after = await client('/cart');
    assert.notEqual(after.servedBy, holder, 'redispatched to the survivor');
    assert.equal(after.status, 401, 'the session died with its server');
  });
});
