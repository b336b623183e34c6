/** A cache node's endpoint on the local runtime (cacheFailover: sentinel): HAProxy routing to its master. */
import { writeFileSync } from 'node:fs';
import { cacheEndpointConfig, cachePairOf, cacheServersOf } from '../../components/cache-failover.ts';
import { FaultlineError } from '../../core/errors.ts';
import { routesToMasterAlone } from '../cache-failover-ready.ts';
import type { Starter } from '../starters.ts';
import { findBinary } from './binaries.ts';
import { LocalService } from './local-service.ts';
import type { LocalStart } from './local-start.ts';

/** Over the node's master and replica, each through its cache-K->server link; ready once it routes to the master alone. */
export const startCacheEndpoint: Starter<LocalStart> = (name, ctx) => ({
  async start() {
    const command = findBinary('haproxy');
    if (!command)
      throw new FaultlineError('env.haproxy', 'haproxy is not installed', 'apt-get install -y haproxy');
    const socket = ctx.session.path(`${name}.sock`);
    const config = ctx.session.path(`${name}.cfg`);
    writeFileSync(
      config,
      cacheEndpointConfig({
        bind: `127.0.0.1:${ctx.port(name)}`,
        statsSocket: `${socket} mode 600`,
        servers: cacheServersOf(ctx.composition, name).map((server) => ({
          name: server,
          address: `127.0.0.1:${ctx.port(`${name}->${server}`)}`,
        })),
      }),
    );
    const service = new LocalService(
      {
        name,
        command,
        args: ['-db', '-f', config],
        ports: { redis: ctx.port(name) },
        ready: (_, signal) => routesToMasterAlone(socket, cachePairOf(name).master, signal),
      },
      ctx.session,
    );
    await service.start();
    ctx.add(service);
  },
});
