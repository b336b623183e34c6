/** A Redis Sentinel on the docker runtime (cacheFailover: sentinel), watching every cache node's master by name. */
import { Wait } from 'testcontainers';
import { cachePairOf, sentinelConfig } from '../../components/cache-failover.ts';
import { sentinelArmed } from '../cache-failover-ready.ts';
import type { Starter } from '../starters.ts';
import { PORT } from './containers.ts';
import type { DockerStart } from './docker-start.ts';

// Sentinel rewrites its file as it learns the replicas and the other Sentinels: somewhere writable.
const CONFIG = '/tmp/sentinel.conf';

export const startSentinel: Starter<DockerStart> = (name, ctx) => ({
  async start(signal) {
    const c = ctx.composition;
    const failover = c.cacheFailover as NonNullable<typeof c.cacheFailover>;
    const config = sentinelConfig({
      bind: '0.0.0.0',
      port: PORT.sentinel,
      masters: c.caches.map((cache) => ({
        name: cache,
        host: ctx.containerName(cachePairOf(cache).master),
        port: PORT.redis,
      })),
      downAfterMs: failover.downAfterMs,
      hostnames: true,
      announce: ctx.containerName(name),
    });
    const sentinel = await ctx.run(name, ctx.images.redis, { redis: PORT.sentinel }, (container) =>
      container
        .withCopyContentToContainer([{ content: config, target: CONFIG, mode: 0o666 }])
        .withCommand(['redis-server', CONFIG, '--sentinel'])
        .withWaitStrategy(Wait.forLogMessage(/Sentinel ID is/)),
    );
    await sentinelArmed(
      ctx.engineHost,
      sentinel.ports.redis as number,
      c.caches,
      failover.sentinels.length - 1,
      AbortSignal.any([signal, AbortSignal.timeout(60_000)]),
    );
  },
});
