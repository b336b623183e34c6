/** The write endpoint on the local runtime: HAProxy in TCP mode, its runtime API on a unix socket. */
import { writeFileSync } from 'node:fs';
import { postgresNodesOf } from '../../components/composition.ts';
import { writeEndpointConfig } from '../../components/write-endpoint.ts';
import { FaultlineError } from '../../core/errors.ts';
import { primaryRoutable } from '../haproxy-api.ts';
import type { Starter } from '../starters.ts';
import { findBinary } from './binaries.ts';
import { LocalService } from './local-service.ts';
import type { LocalStart } from './local-start.ts';

/** In front of every PostgreSQL node, each through its pg-write->node link; ready once the primary is UP in it. */
export const startWriteEndpoint: Starter<LocalStart> = (name, ctx) => ({
  async start() {
    const command = findBinary('haproxy');
    if (!command)
      throw new FaultlineError('env.haproxy', 'haproxy is not installed', 'apt-get install -y haproxy');
    const c = ctx.composition;
    const socket = ctx.session.path(`${name}.sock`);
    const config = ctx.session.path(`${name}.cfg`);
    writeFileSync(
      config,
      writeEndpointConfig({
        bind: `127.0.0.1:${ctx.port(name)}`,
        statsSocket: `${socket} mode 600`,
        nodes: postgresNodesOf(c).map((node) => ({
          name: node,
          address: `127.0.0.1:${ctx.port(`${name}->${node}`)}`,
          ...(c.dcs ? { rest: { host: '127.0.0.1', port: ctx.handle(node).ports.rest as number } } : {}),
        })),
        routing: c.dcs ? 'patroni' : { primary: c.primary },
        checkIntervalMs: c.failover.probeIntervalMs,
      }),
    );
    const service = new LocalService(
      {
        name,
        command,
        args: ['-db', '-f', config],
        ports: { postgres: ctx.port(name) },
        ready: (_, signal) => primaryRoutable(socket, c.primary, signal),
      },
      ctx.session,
    );
    await service.start();
    ctx.add(service);
    ctx.useWriteEndpointApi(socket);
  },
});
