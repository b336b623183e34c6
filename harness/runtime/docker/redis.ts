/**
 * A Redis cache or session node on the docker runtime: no persistence, nothing kept across
 * restarts; or a cache node's replica.
 */
import { Wait } from 'testcontainers';
import { masterOfReplica } from '../../components/cache-failover.ts';
import { replicationSettled } from '../cache-failover-ready.ts';
import { redisArgs } from '../service-settings.ts';
import type { Starter } from '../starters.ts';
import { PORT } from './containers.ts';
import type { DockerStart } from './docker-start.ts';

/** One redis-server; a replica tells its master its container name, which Sentinels resolve. */
function runRedis(ctx: DockerStart, name: string, extraArgs: string[]) {
  return ctx.run(name, ctx.images.redis, { redis: PORT.redis }, (c) =>
    c
      .withCommand([
        'redis-server',
        ...redisArgs({ bind: '0.0.0.0', port: PORT.redis, dir: '/tmp' }),
        '--replica-announce-ip',
        ctx.containerName(name),
        ...extraArgs,
      ])
      .withWaitStrategy(Wait.forLogMessage(/Ready to accept connections/)),
  );
}

export const startRedisNode: Starter<DockerStart> = (name, ctx) => ({
  async start() {
    await runRedis(ctx, name, []);
  },
});

/** A cache node's replica (cacheFailover: sentinel): it syncs from the node's master at start. */
export const startRedisReplica: Starter<DockerStart> = (name, ctx) => ({
  async start(signal) {
    const replica = await runRedis(ctx, name, [
      '--replicaof',
      ctx.containerName(masterOfReplica(name)),
      `${PORT.redis}`,
    ]);
    await replicationSettled(
      ctx.engineHost,
      replica.ports.redis as number,
      AbortSignal.any([signal, AbortSignal.timeout(30_000)]),
    );
  },
});
