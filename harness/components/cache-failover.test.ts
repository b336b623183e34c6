/** A cache that fails over (cacheFailover: sentinel): what the composition runs, in which order, configured how. */
import assert from 'node:assert/strict';
import type { FaultlineError } from '../core/errors.ts';
import { loadTarget } from '../target/catalog.ts';
import { composeTarget } from '../target/target.ts';
import { cacheEndpointConfig, sentinelConfig } from './cache-failover.ts';
import { linksOf, serviceNamesOf } from './composition.ts';
import { startPlan } from './start-plan.ts';
import { contractEnv } from './web-app.ts';

const sentinel = { cacheFailover: { manager: 'sentinel' } };
const compose = async (options: Record<string, unknown>) => composeTarget(await loadTarget('shop'), options);

describe('a cache that fails over (Redis Sentinel)', () => {
  it('runs each cache node as an endpoint over a master and a replica, and three Sentinels', async () => {
    const c = await compose({ web: 1, cache: 2, replicas: 1, ...sentinel });
    const names = serviceNamesOf(c);
    for (const name of ['cache-1', 'cache-1-a', 'cache-1-b', 'cache-2-a', 'cache-2-b', 'cache-sentinel-3'])
      assert.ok(names.includes(name), name);
    const links = linksOf(c).map((l) => l.name);
    assert.ok(links.includes('web-1->cache-1'), 'the app reaches the node as before');
    assert.ok(links.includes('cache-1->cache-1-a') && links.includes('cache-1->cache-1-b'));
    assert.ok(!links.some((l) => l.includes('sentinel')), 'Sentinels reach the servers directly');
  });

  it('tells the app nothing new: the contract names the node, not its servers', async () => {
    const env = contractEnv(
      await compose({ cache: 1, ...sentinel }),
      'web-1',
      { host: '127.0.0.1', port: 1 },
      () => ({
        host: '127.0.0.1',
        port: 2,
      }),
    );
    assert.equal(env.CACHE_REDIS_NAMES, 'cache-1');
  });

  it('starts the replica after its master, the Sentinels after every server, the endpoint after both, the app after the Sentinels', async () => {
    const plan = startPlan(await compose({ web: 1, cache: 1, replicas: 1, ...sentinel }));
    const step = (name: string) => plan.find((s) => s.name === name);
    assert.deepEqual(step('cache-1-b')?.waitsFor, ['cache-1-a']);
    assert.equal(step('cache-1-b')?.component, 'redis-replica');
    assert.deepEqual(step('cache-sentinel-1')?.waitsFor, ['cache-1-a', 'cache-1-b']);
    assert.deepEqual(step('cache-1')?.waitsFor, ['toxiproxy', 'cache-1-a', 'cache-1-b']);
    assert.equal(step('cache-1')?.component, 'cache-endpoint');
    for (const s of ['cache-1', 'cache-sentinel-1', 'cache-sentinel-2', 'cache-sentinel-3'])
      assert.ok(step('web-1')?.waitsFor.includes(s), `web-1 waits for ${s}`);
  });

  it('refuses Sentinel without a cache node, before anything starts (exit 2)', async () => {
    await assert.rejects(
      compose({ cache: 0, ...sentinel }),
      // The target's module graph has its own copy of the error class: judged by its exit code.
      (err: FaultlineError) => err.exitCode === 2 && /needs a cache node to watch/.test(err.message),
    );
  });

  it('a Sentinel watches every master with quorum 2 and the down-after asked for; on docker by host name', () => {
    const text = sentinelConfig({
      bind: '0.0.0.0',
      port: 26379,
      masters: [{ name: 'cache-1', host: 'x-cache-1-a', port: 6379 }],
      downAfterMs: 1000,
      hostnames: true,
      announce: 'x-cache-sentinel-1',
    });
    assert.match(text, /^sentinel monitor cache-1 x-cache-1-a 6379 2$/m);
    assert.match(text, /^sentinel down-after-milliseconds cache-1 1000$/m);
    assert.match(text, /^sentinel resolve-hostnames yes$/m);
    assert.match(text, /^sentinel announce-ip x-cache-sentinel-1$/m);
  });

  it('the endpoint routes to the server that says role:master, dropping a dead one’s connections', () => {
    const text = cacheEndpointConfig({
      bind: '127.0.0.1:7000',
      statsSocket: '/tmp/s.sock mode 600',
      servers: [
        { name: 'cache-1-a', address: '127.0.0.1:7001' },
        { name: 'cache-1-b', address: '127.0.0.1:7002' },
      ],
    });
    assert.match(text, /tcp-check expect string role:master/);
    assert.match(text, /on-marked-down shutdown-sessions/);
    assert.match(text, /^ {2}server cache-1-b 127\.0\.0\.1:7002 check$/m);
  });
});
