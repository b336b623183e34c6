/**
 * A redis-server cache or session node on loopback: no persistence, nothing kept across restarts;
 * or a cache node's replica.
 */

import { masterOfReplica } from '../../components/cache-failover.ts';
import { FaultlineError } from '../../core/errors.ts';
import { replicationSettled } from '../cache-failover-ready.ts';
import { redisArgs } from '../service-settings.ts';
import type { Starter } from '../starters.ts';
import { findBinary } from './binaries.ts';
import { LocalService } from './local-service.ts';
import type { LocalStart } from './local-start.ts';
import type { LocalSession } from './session.ts';

export async function startRedis(
  session: LocalSession,
  name: string,
  port: number,
  extraArgs: string[] = [],
): Promise<LocalService> {
  const command = findBinary('redis-server');
  if (!command)
    throw new FaultlineError('env.redis', 'redis-server is not installed', 'apt-get install -y redis-server');
  const service = new LocalService(
    {
      name,
      command,
      args: [...redisArgs({ bind: '127.0.0.1', port, dir: session.dir }), ...extraArgs],
      ports: { redis: port },
      ready: async (s, signal) => {
        await s.log.waitFor(/Ready to accept connections/, signal);
        await replicationSettled('127.0.0.1', port, signal);
      },
    },
    session,
  );
  await service.start();
  return service;
}

export const startRedisNode: Starter<LocalStart> = (name, ctx) => ({
  async start() {
    ctx.add(await startRedis(ctx.session, name, ctx.port(name)));
  },
});

/** A cache node's replica (cacheFailover: sentinel): it syncs from the node's master at start. */
export const startRedisReplica: Starter<LocalStart> = (name, ctx) => ({
  async start() {
    const master = masterOfReplica(name);
    ctx.add(
      await startRedis(ctx.session, name, ctx.port(name), [
        '--replicaof',
        '127.0.0.1',
        `${ctx.port(master)}`,
      ]),
    );
  },
});
