/**
 * Every fault kind against one real shop topology (local runtime): inject → verify turns true within
 * a stated time → heal → the system is back (no toxics, every link enabled, every service running,
 * HAProxy has every web server UP, replicas stream and have replayed the primary's WAL) → a second
 * heal is a no-op. Each test states the time it allows verify; measured timings are printed at the end.
 */
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { createClient } from 'redis';
import { faultContext } from '../../test/helpers/fault-context.ts';
import type { FaultlineError } from '../core/errors.ts';
import { serverStates } from '../runtime/haproxy-api.ts';
import { type LocalTopology, startLocalTopology } from '../runtime/local/local-topology.ts';
import { query } from '../runtime/local/postgres.ts';
import { composeFor } from '../target/start-target.ts';
import type { Fault, FaultContext } from './fault.ts';
import { createFault, type FaultSpec } from './registry.ts';

interface Timing {
  fault: string;
  injectMs: number;
  verifyMs: number;
  healMs: number;
  secondHealMs: number;
}

const timings: Timing[] = [];

async function timed<T>(work: () => Promise<T>): Promise<[T, number]> {
  const start = performance.now();
  const value = await work();
  return [value, Math.round(performance.now() - start)];
}

/** A TCP round trip through a link's listen port: how long Redis takes to answer PING through it. */
function pingThrough(address: string, timeoutMs: number): Promise<number | 'reset' | 'timeout' | 'refused'> {
  const [host, port] = address.split(':');
  return new Promise((resolve) => {
    const start = performance.now();
    const socket = connect({ host, port: Number(port) });
    const timer = setTimeout(() => {
      socket.destroy();
      resolve('timeout');
    }, timeoutMs);
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', () => {
      clearTimeout(timer);
      socket.destroy();
      resolve(performance.now() - start);
    });
    socket.once('error', (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      resolve(err.code === 'ECONNREFUSED' ? 'refused' : 'reset');
    });
    socket.once('close', () => {
      clearTimeout(timer);
      resolve('reset');
    });
  });
}

describe('faults against a real shop topology', function () {
  this.timeout(60_000);
  let topology: LocalTopology;
  let ctx: FaultContext;

  before(async () => {
    topology = await startLocalTopology(
      await composeFor({ web: 2, cache: 2, replicas: 1, healthCheck: { intervalMs: 200, fall: 2, rise: 1 } }),
    );
    ctx = faultContext(topology);
  });

  after(async () => {
    const groups = new Map(
      (topology?.serviceNames ?? []).flatMap((name) => {
        const pid = (topology.service(name) as { pid?: number }).pid;
        return pid === undefined ? [] : [[pid, name] as const];
      }),
    );
    await topology?.stop();
    // Nothing outlives the topology: within a few seconds no process of any service's group is left.
    const alive = () =>
      [...groups].filter(([pgid]) => {
        try {
          process.kill(-pgid, 0);
          return true;
        } catch {
          return false;
        }
      });
    const deadline = Date.now() + 5000;
    while (alive().length && Date.now() < deadline) await sleep(100);
    assert.deepEqual(alive(), [], 'every service process group is gone');
    const table = timings.map(
      (t) =>
        `  ${t.fault.padEnd(36)} inject ${String(t.injectMs).padStart(5)} ms  verified after ${String(t.verifyMs).padStart(5)} ms  heal ${String(t.healMs).padStart(5)} ms  2nd heal ${String(t.secondHealMs).padStart(4)} ms`,
    );
    process.stdout.write(`\n  fault timings (this machine):\n${table.join('\n')}\n`);
  });

  /** The whole system is as it was started. */
  async function assertHealthy(): Promise<void> {
    const proxies = (await (await fetch(`${topology.endpoints.toxiproxy}/proxies`)).json()) as Record<
      string,
      { enabled: boolean; toxics: unknown[] }
    >;
    for (const [name, proxy] of Object.entries(proxies)) {
      assert.equal(proxy.enabled, true, `${name} enabled`);
      assert.deepEqual(proxy.toxics, [], `${name} has no toxics`);
    }
    for (const name of topology.serviceNames) assert.ok(topology.service(name).running, `${name} running`);
    for (const s of await serverStates(topology.lbSocket)) assert.equal(s.status, 'UP', `${s.server} UP`);
    const primary = topology.service('pg-primary').ports.postgres as number;
    const [replica] = await query<{ state: string; behind: string }>(
      primary,
      `SELECT state, pg_wal_lsn_diff(pg_current_wal_flush_lsn(), replay_lsn)::text AS behind
         FROM pg_stat_replication WHERE application_name = 'pg-replica-1'`,
    );
    assert.equal(replica?.state, 'streaming', 'pg-replica-1 streams');
    assert.equal(await uncachedThroughCdn(), 200, 'the CDN reaches its origin');
    const site = await fetch(`${topology.endpoints.lb}/products/3`);
    await site.arrayBuffer();
    assert.equal(site.status, 200, 'the site serves');
  }

  /**
   * An uncached asset through the CDN, allowed the time Varnish's probe takes to call its origin healthy
   * again: 2 good probes of the last 3, 1 s apart. A web server dying behind the LB can fail a probe or
   * two (under CI load, two faults in a row did), so the edge may still hold the origin sick then.
   */
  async function uncachedThroughCdn(): Promise<number> {
    const start = performance.now();
    for (let attempt = 1; ; attempt++) {
      const response = await fetch(`${topology.endpoints.cdn}/static/app.css?check=${Math.random()}`);
      await response.arrayBuffer();
      const waitedMs = Math.round(performance.now() - start);
      if (response.status === 200 && attempt > 1)
        process.stdout.write(`      (the CDN's origin was healthy again after ${waitedMs} ms)\n`);
      if (response.status === 200 || waitedMs > 4000) return response.status;
      await sleep(200);
    }
  }

  /** inject → verify (polled every 50 ms, as the engine does every 100) → heal → healthy → heal again. */
  async function exercise(
    spec: FaultSpec,
    verifyWithinMs: number,
    during?: (fault: Fault) => Promise<void>,
    { lasting = false } = {},
  ) {
    const fault = createFault(spec);
    const [, injectMs] = await timed(() => fault.inject(ctx));
    let verifyMs = -1;
    try {
      const [ok, ms] = await timed(async () => {
        const deadline = performance.now() + verifyWithinMs;
        while (performance.now() < deadline) {
          if (await fault.verify?.(ctx)) return true;
          await sleep(50);
        }
        return false;
      });
      verifyMs = ms;
      assert.ok(ok, `${fault.id} verified within ${verifyWithinMs} ms`);
      await during?.(fault);
    } finally {
      const [, healMs] = await timed(() => fault.heal(ctx));
      await assertHealthy();
      if (!lasting)
        assert.equal(await fault.verify?.(ctx), false, `${fault.id} no longer verifies after heal`);
      const [, secondHealMs] = await timed(() => fault.heal(ctx));
      await assertHealthy();
      timings.push({ fault: fault.id, injectMs, verifyMs, healMs, secondHealMs });
    }
  }

  it('replica-lag: a canary row is missing on the replica; heal waits until it has caught up', async () => {
    await exercise({ kind: 'replica-lag', latency: '1s' }, 2000, async () => {
      const events = ctx.events.of('observation').filter((e) => e.source === 'pg.canary');
      assert.ok(events.some((e) => e.detail?.replica === 'pg-replica-1' && e.detail.visible === false));
    });
  });

  it('cache-node-loss: the Redis port refuses; heal answers PING again', async () => {
    await exercise({ kind: 'cache-node-loss', node: 'cache-1' }, 1000);
  });

  it('cache-flush: every cache node is emptied at once (keys before observed) and the next read misses', async () => {
    const read = async (id: number) => {
      const response = await fetch(`${topology.endpoints.lb}/products/${id}`);
      await response.arrayBuffer();
      return response.headers.get('x-cache');
    };
    // Until each answers from the cache: a web server's Redis client may still be reconnecting after
    // cache-node-loss, and then its reads neither hit nor fill the cache.
    const deadline = performance.now() + 5000;
    for (let id = 1; id <= 20; id++)
      while ((await read(id)) !== 'hit')
        assert.ok(performance.now() < deadline, `product ${id} is cached within 5 s`);
    const before = ctx.events.events.length;
    await exercise(
      { kind: 'cache-flush' },
      1000,
      async () => {
        for (const node of ['cache-1', 'cache-2']) {
          const handle = topology.service(node);
          const client = createClient({ socket: { host: handle.host, port: handle.ports.redis as number } });
          await client.connect();
          try {
            assert.equal(await client.dbSize(), 0, `${node} is empty`);
          } finally {
            client.destroy();
          }
        }
        assert.equal(await read(1), 'miss');
      },
      { lasting: true },
    );
    const flushed = ctx.events.events
      .slice(before)
      .flatMap((e) => (e.kind === 'observation' && e.source === 'cache.flush' ? [e.detail] : []));
    assert.deepEqual(flushed.map((d) => d.node).sort(), ['cache-1', 'cache-2']);
    assert.equal(
      flushed.reduce((n, d) => n + (d.keysBefore as number), 0),
      20,
      'the 20 products read were cached',
    );
  });

  describe('asset-change: a deploy rewrites a static file at the origin, then tells the CDN edge', () => {
    const get = async (base: string, path: string, headers: Record<string, string> = {}) => {
      const response = await fetch(`${base}${path}`, { headers });
      const body = await response.text();
      return {
        status: response.status,
        etag: response.headers.get('etag'),
        cache: response.headers.get('x-cache'),
        body,
      };
    };
    /** Cached at the edge: the second GET is a hit. */
    const cached = async (path: string) => {
      await get(topology.endpoints.cdn, path);
      const second = await get(topology.endpoints.cdn, path);
      assert.equal(second.cache, 'hit', `${path} is cached at the edge`);
      return second;
    };
    const changes = () => ctx.events.of('observation').filter((e) => e.source === 'asset.change');

    it('invalidate none: the origin serves the new file (a new ETag, observed), the edge keeps the old one', async () => {
      const before = await cached('/static/app.css');
      await exercise(
        { kind: 'asset-change', asset: 'app.css' },
        2000,
        async () => {
          const origin = await get(topology.endpoints.lb, '/static/app.css');
          assert.notEqual(origin.etag, before.etag);
          assert.match(origin.body, /faultline asset-change 1 \*\/\n$/);
          const edge = await get(topology.endpoints.cdn, '/static/app.css');
          assert.deepEqual(
            [edge.cache, edge.etag],
            ['hit', before.etag],
            'the edge still serves the old file',
          );
          const [change] = changes().slice(-1);
          assert.deepEqual(change?.detail, {
            asset: 'app.css',
            path: '/static/app.css',
            oldEtag: before.etag,
            newEtag: origin.etag,
          });
        },
        { lasting: true },
      );
    });

    it('invalidate purge: the edge drops that URL and fetches the new file at once; others stay cached', async () => {
      const before = await cached('/static/app.css');
      await cached('/static/app.js');
      await exercise(
        { kind: 'asset-change', asset: 'app.css', invalidate: 'purge' },
        2000,
        async () => {
          const edge = await get(topology.endpoints.cdn, '/static/app.css');
          assert.equal(edge.cache, 'miss');
          assert.notEqual(edge.etag, before.etag);
          assert.equal(
            (await get(topology.endpoints.cdn, '/static/app.js')).cache,
            'hit',
            'app.js was not purged',
          );
          const invalidations = ctx.events.of('observation').filter((e) => e.source === 'cdn.invalidate');
          assert.deepEqual(invalidations.at(-1)?.detail, {
            method: 'PURGE',
            pattern: '/static/app.css',
            status: 200,
          });
        },
        { lasting: true },
      );
    });

    it('invalidate ban: every static file is fetched from the origin again', async () => {
      await cached('/static/app.js');
      await cached('/static/logo.svg');
      await exercise(
        { kind: 'asset-change', asset: 'logo.svg', invalidate: 'ban' },
        2000,
        async () => {
          const logo = await get(topology.endpoints.cdn, '/static/logo.svg');
          assert.equal(logo.cache, 'miss');
          assert.match(logo.body, /<!-- faultline asset-change 1 -->\n$/, 'an SVG gets an XML comment');
          assert.equal(
            (await get(topology.endpoints.cdn, '/static/app.js')).cache,
            'miss',
            'app.js was banned too',
          );
        },
        { lasting: true },
      );
    });

    it('the edge refuses PURGE and BAN without the topology’s token (403), and a BAN without a pattern (400)', async () => {
      await cached('/static/app.js');
      const purge = await fetch(`${topology.endpoints.cdn}/static/app.js`, { method: 'PURGE' });
      assert.equal(purge.status, 403);
      const ban = await fetch(`${topology.endpoints.cdn}/`, { method: 'BAN', headers: { 'x-ban-url': '.' } });
      assert.equal(ban.status, 403);
      const token = { 'x-invalidate-token': topology.composition.cdn.invalidateToken };
      assert.equal(
        (await fetch(`${topology.endpoints.cdn}/`, { method: 'BAN', headers: token })).status,
        400,
      );
      assert.equal(
        (await get(topology.endpoints.cdn, '/static/app.js')).cache,
        'hit',
        'nothing was invalidated',
      );
    });
  });

  it('cdn-origin-outage: the link refuses and an uncached asset fails; heal serves uncached again', async () => {
    await exercise({ kind: 'cdn-origin-outage' }, 2000);
    const statuses = ctx.events
      .of('observation')
      .filter((e) => e.source === 'cdn.uncached')
      .map((e) => e.detail?.status);
    assert.ok(
      statuses.some((s) => typeof s === 'number' && s >= 500),
      `a 5xx was observed (${statuses})`,
    );
    assert.equal(statuses.at(-1), 200);
  });

  it('lb-backend-death: HAProxy reports the server DOWN, and UP after heal (recorded as observations)', async () => {
    const before = ctx.events.events.length;
    // fall 2 × inter 200 ms: DOWN within ~0.4–0.6 s; 3 s allowed.
    await exercise({ kind: 'lb-backend-death', server: 'web-2' }, 3000);
    const seen = ctx.events.events
      .slice(before)
      .flatMap((e) => (e.kind === 'observation' ? [e] : []))
      .filter((e) => e.source === 'haproxy.server' && e.detail.server === 'web-2')
      .map((e) => e.detail.status);
    // As HAProxy saw it, e.g. UP → UP 1/2 → DOWN (verified) → UP (healed).
    const down = seen.findIndex((s) => /^DOWN/.test(String(s)));
    assert.ok(down >= 0, `DOWN observed (${seen})`);
    assert.equal(seen.at(-1), 'UP', `UP last (${seen})`);
  });

  it('session-loss: the same fault as lb-backend-death, here with SIGTERM', async () => {
    await exercise({ kind: 'session-loss', server: 'web-1', signal: 'SIGTERM' }, 3000);
  });

  it('link-latency: the toxic is listed, and a PING through the link takes the latency', async () => {
    await exercise(
      { kind: 'link-latency', link: 'web-1->cache-2', latency: '300ms', stream: 'both' },
      1000,
      async () => {
        const ms = await pingThrough(topology.proxy('web-1->cache-2').listen, 3000);
        assert.ok(typeof ms === 'number' && ms >= 550, `~600 ms round trip through both toxics (got ${ms})`);
      },
    );
    const after = await pingThrough(topology.proxy('web-1->cache-2').listen, 3000);
    assert.ok(typeof after === 'number' && after < 100, `fast again after heal (got ${after})`);
  });

  it('link-bandwidth: the toxic is listed', async () => {
    await exercise({ kind: 'link-bandwidth', link: 'web-1->pg-replica-1', rate: 10 }, 1000);
  });

  it('link-down: disabled in Toxiproxy and its port refuses', async () => {
    await exercise({ kind: 'link-down', link: 'web-2->cache-1' }, 1000, async () => {
      assert.equal(await pingThrough(topology.proxy('web-2->cache-1').listen, 1000), 'refused');
    });
  });

  it('link-timeout: the toxic is listed and a request through the link never gets an answer', async () => {
    await exercise({ kind: 'link-timeout', link: 'web-2->cache-1', timeout: 0 }, 1000, async () => {
      assert.equal(await pingThrough(topology.proxy('web-2->cache-1').listen, 400), 'timeout');
    });
  });

  it('link-reset-peer: the toxic is listed and connections through the link are reset', async () => {
    await exercise({ kind: 'link-reset-peer', link: 'web-2->cache-2', timeout: 0 }, 1000, async () => {
      assert.equal(await pingThrough(topology.proxy('web-2->cache-2').listen, 1000), 'reset');
    });
  });

  it('service-kill: a replica is gone; heal waits until it streams again', async () => {
    await exercise({ kind: 'service-kill', service: 'pg-replica-1' }, 1000);
  });

  it('service-kill on the primary: heal waits until the replica streams again (it retries every 5 s)', async () => {
    await exercise({ kind: 'service-kill', service: 'pg-primary' }, 1000);
  });

  it('primary-kill without a failover manager: the primary is gone; heal has it back with the replica streaming', async () => {
    await exercise({ kind: 'primary-kill' }, 1000);
  });

  it('writes-behind-cache: changes products on the primary (or through the app) until heal, each change observed with its version', async () => {
    for (const via of ['database', 'app'] as const) {
      const before = ctx.events.events.length;
      const [row] = await query<{ version: number }>(
        topology.service('pg-primary').ports.postgres as number,
        'SELECT version FROM products WHERE id = 2',
      );
      await exercise({ kind: 'writes-behind-cache', products: 2, interval: 50, via }, 2000, () => sleep(300));
      const changes = ctx.events.events
        .slice(before)
        .flatMap((e) => (e.kind === 'observation' && e.source === 'data.change' ? [e.detail] : []));
      assert.ok(changes.length >= 4, `${via}: ${changes.length} changes`);
      assert.deepEqual(new Set(changes.map((c) => c.productId)), new Set([1, 2]), via);
      // Each change of product 2 is one version on from the last, starting from the database's own.
      const versions = changes.filter((c) => c.productId === 2).map((c) => c.version);
      assert.deepEqual(
        versions,
        versions.map((_, i) => (row?.version ?? 0) + i + 1),
        via,
      );
      // Healed means stopped: no change comes after the heal.
      const count = ctx.events.events.length;
      await sleep(200);
      assert.equal(
        ctx.events.events.slice(count).filter((e) => e.kind === 'observation' && e.source === 'data.change')
          .length,
        0,
      );
    }
  });

  it('service-pause: the kernel has it stopped and it does not answer; heal resumes it', async () => {
    await exercise({ kind: 'service-pause', service: 'cache-2' }, 2000);
  });

  it('service-pause on a web server: heal waits until HAProxy has it UP again', async () => {
    await exercise({ kind: 'service-pause', service: 'web-1' }, 2000);
  });

  it('service-restart: a new process answers; heal has HAProxy report it UP', async () => {
    // Its effect (a new process) lasts: verify stays true after heal.
    await exercise({ kind: 'service-restart', service: 'web-2' }, 2000, undefined, { lasting: true });
  });

  it('names the valid links or services when a fault names one that does not exist; heal is still safe', async () => {
    const link = createFault({ kind: 'link-latency', link: 'web-9->cache-1' });
    await assert.rejects(link.inject(ctx), (err: FaultlineError) => {
      assert.equal(err.exitCode, 2);
      assert.match(err.message, /no link named "web-9->cache-1"/);
      assert.match(err.hint, /web-1->cache-2/);
      return true;
    });
    await link.heal(ctx);
    const service = createFault({ kind: 'service-kill', service: 'db' });
    await assert.rejects(service.inject(ctx), /no service named "db"/);
    await service.heal(ctx);
    await assert.rejects(
      createFault({ kind: 'service-pause', service: 'toxiproxy' }).inject(ctx),
      /cannot be faulted/,
    );
    const replica = createFault({ kind: 'replica-lag', replicas: ['pg-replica-4'] });
    await assert.rejects(replica.inject(ctx), /no replica named pg-replica-4/);
    await replica.heal(ctx);
    await assertHealthy();
  });

  it('refuses to stack a second fault of the same kind on a link, naming the conflict', async () => {
    const first = createFault({ kind: 'link-latency', link: 'web-1->pg-primary', latency: 100 });
    const second = createFault({ kind: 'link-latency', link: 'web-1->pg-primary', latency: 200 });
    await first.inject(ctx);
    try {
      await assert.rejects(
        second.inject(ctx),
        /web-1->pg-primary already has the toxic faultline_link-latency_downstream/,
      );
    } finally {
      await first.heal(ctx);
    }
    await assertHealthy();
  });

  it('heals without a prior inject (heal runs in finally, whatever happened)', async () => {
    for (const kind of [
      'cdn-origin-outage',
      'replica-lag',
      'lb-backend-death',
      'cache-node-loss',
      'primary-kill',
    ]) {
      await createFault({ kind }).heal(ctx);
    }
    await assertHealthy();
  });

  it('two heals at once run once', async () => {
    const fault = createFault({ kind: 'cache-node-loss', node: 'cache-2' });
    await fault.inject(ctx);
    await Promise.all([fault.heal(ctx), fault.heal(ctx)]);
    await assertHealthy();
  });
});
