/** A Redis Sentinel on loopback (cacheFailover: sentinel), watching every cache node's master. */
import { writeFileSync } from 'node:fs';
import { cachePairOf, sentinelConfig } from '../../components/cache-failover.ts';
import { FaultlineError } from '../../core/errors.ts';
import { sentinelArmed } from '../cache-failover-ready.ts';
import type { Starter } from '../starters.ts';
import { findBinary } from './binaries.ts';
import { LocalService } from './local-service.ts';
import type { LocalStart } from './local-start.ts';

export const startSentinel: Starter<LocalStart> = (name, ctx) => ({
  async start() {
    const command = findBinary('redis-server');
    if (!command)
      throw new FaultlineError(
        'env.redis',
        'redis-server is not installed',
        'apt-get install -y redis-server',
      );
    const c = ctx.composition;
    const failover = c.cacheFailover as NonNullable<typeof c.cacheFailover>;
    const port = ctx.port(name);
    // Sentinel rewrites its file as it learns the replicas and the other Sentinels: the session's.
    const config = ctx.session.path(`${name}.conf`);
    writeFileSync(
      config,
      sentinelConfig({
        bind: '127.0.0.1',
        port,
        masters: c.caches.map((cache) => ({
          name: cache,
          host: '127.0.0.1',
          port: ctx.port(cachePairOf(cache).master),
        })),
        downAfterMs: failover.downAfterMs,
        hostnames: false,
      }),
    );
    const service = new LocalService(
      {
        name,
        command,
        args: [config, '--sentinel'],
        ports: { redis: port },
        ready: (_, signal) =>
          sentinelArmed('127.0.0.1', port, c.caches, failover.sentinels.length - 1, signal),
      },
      ctx.session,
    );
    await service.start();
    ctx.add(service);
  },
});
