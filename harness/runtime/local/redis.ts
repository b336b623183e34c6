/** A redis-server cache or session node on loopback: no persistence, nothing kept across restarts. */
import { FaultlineError } from '../../core/errors.ts';
import { redisArgs } from '../service-settings.ts';
import type { Starter } from '../starters.ts';
import { findBinary } from './binaries.ts';
import { LocalService } from './local-service.ts';
import type { LocalStart } from './local-start.ts';
import type { LocalSession } from './session.ts';

export async function startRedis(session: LocalSession, name: string, port: number): Promise<LocalService> {
  const command = findBinary('redis-server');
  if (!command)
    throw new FaultlineError('env.redis', 'redis-server is not installed', 'apt-get install -y redis-server');
  const service = new LocalService(
    {
      name,
      command,
      args: redisArgs({ bind: '127.0.0.1', port, dir: session.dir }),
      ports: { redis: port },
      ready: (s, signal) => s.log.waitFor(/Ready to accept connections/, signal).then(() => undefined),
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
