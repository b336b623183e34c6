/**
 * cache-master-kill on a real cache that fails over (local runtime): two Redis servers behind the
 * cache node's HAProxy endpoint and three Sentinels. The master dies; the Sentinels promote the
 * replica, which already holds the keys, and the endpoint routes to it; the old master, restarted,
 * becomes its replica.
 */
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { runCli, waitForOutput } from '../../test/helpers/cli.ts';
import { faultContext } from '../../test/helpers/fault-context.ts';
import { leftovers, nothingLeftUnder, ownSessionRoot } from '../../test/helpers/leftovers.ts';
import { type LocalTopology, startLocalTopology } from '../runtime/local/local-topology.ts';
import { composeFor } from '../target/start-target.ts';
import type { FaultContext } from './fault.ts';
import { replicationOf } from './redis-node.ts';
import { createFault } from './registry.ts';

describe('cache-master-kill: a cache that fails over, for real (Redis Sentinel, local runtime)', function () {
  this.timeout(90_000);
  let topology: LocalTopology;
  let ctx: FaultContext;
  before(async () => {
    topology = await startLocalTopology(
      await composeFor({ web: 1, cache: 1, replicas: 1, cacheFailover: { manager: 'sentinel' } }),
    );
    ctx = faultContext(topology);
  });
  after(() => topology?.stop());

  const read = async (id: number) => {
    const response = await fetch(`${topology.endpoints.lb}/products/${id}`);
    await response.arrayBuffer();
    return { status: response.status, cache: response.headers.get('x-cache') };
  };
  const role = async (server: string) => (await replicationOf(topology.service(server))).role;

  it('starts cache-1-a as the master, cache-1-b as its replica, and the app caches through cache-1', async () => {
    assert.deepEqual([await role('cache-1-a'), await role('cache-1-b')], ['master', 'slave']);
    assert.equal((await read(5)).cache, 'miss');
    assert.equal((await read(5)).cache, 'hit');
  });

  it('kill the master: the replica is promoted within seconds with the keys, and the app hits again through the endpoint', async () => {
    for (let id = 1; id <= 10; id++) await read(id);
    const fault = createFault({ kind: 'cache-master-kill', node: 'cache-1' });
    await fault.inject(ctx);
    try {
      const started = performance.now();
      while (!(await fault.verify?.(ctx))) {
        assert.ok(performance.now() - started < 10_000, 'promoted within 10 s');
        await sleep(100);
      }
      const [killed, promoted] = ['cache.failover', 'cache.promoted'].map(
        (source) => ctx.events.of('observation').find((e) => e.source === source)?.detail,
      );
      assert.equal(killed?.killed, 'cache-1-a');
      assert.equal(promoted?.promoted, 'cache-1-b');
      assert.ok((promoted?.keys as number) >= 10, `the replica had the keys (${promoted?.keys})`);
      // The endpoint's checks take it in within a second; reads never fail meanwhile (cache errors fall back).
      const deadline = performance.now() + 5000;
      let last = await read(1);
      while (last.cache !== 'hit' && performance.now() < deadline) {
        assert.equal(last.status, 200);
        await sleep(100);
        last = await read(1);
      }
      assert.equal(last.cache, 'hit', 'a key cached before the failover is a hit on the promoted replica');
    } finally {
      await fault.heal(ctx);
    }
    assert.ok(topology.service('cache-1-a').running, 'heal started it again');
  });

  it('the Sentinels make the restarted old master the new master’s replica', async () => {
    const deadline = performance.now() + 40_000;
    while ((await role('cache-1-a')) !== 'slave') {
      assert.ok(performance.now() < deadline, 'a replica again within 40 s');
      await sleep(250);
    }
    assert.equal(await role('cache-1-b'), 'master');
  });
});

describe('a cache that fails over leaves nothing behind, whatever stops the harness', function () {
  this.timeout(120_000);
  const sessionRoot = ownSessionRoot('faultline-sentinel-');

  for (const signal of ['SIGTERM', 'SIGKILL'] as const) {
    it(`faultline up --cache-failover sentinel, then ${signal} to the harness: every Sentinel and Redis server is gone`, async () => {
      const run = runCli(
        [
          'up',
          '--runtime',
          'local',
          '--cache',
          '1',
          '--cache-failover',
          'sentinel',
          '--web',
          '1',
          '--replicas',
          '1',
          '--json',
        ],
        { FAULTLINE_TMP: sessionRoot() },
      );
      try {
        await waitForOutput(run, /^\{.*\}$/m, 90_000);
        // Redis names itself by address in its process title, not by its files: found by process group.
        const [session = ''] = readdirSync(join(sessionRoot(), 'sessions'));
        const groups = readdirSync(join(sessionRoot(), 'sessions', session, 'groups')).map(Number);
        const sentinels = () =>
          leftovers(groups, sessionRoot()).filter((p) => /redis-server .*\[sentinel\]/.test(p));
        assert.equal(sentinels().length, 3, 'three Sentinels run');
        assert.ok(leftovers(groups, sessionRoot()).filter((p) => /redis-server/.test(p)).length >= 6);
        run.child.kill(signal);
        await run.exit;
        await nothingLeftUnder(sessionRoot(), 'Sentinel or Redis');
        assert.deepEqual(leftovers(groups, sessionRoot()), [], 'every process group is gone');
      } finally {
        run.child.kill('SIGKILL');
      }
    });
  }
});
