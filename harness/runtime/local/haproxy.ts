/** HAProxy as the load balancer, in the foreground, with its runtime API on a unix socket. */
import { writeFileSync } from 'node:fs';
import { type HealthCheck, haproxyConfig } from '../../components/load-balancer.ts';
import { FaultlineError } from '../../core/errors.ts';
import { allServersUp } from '../haproxy-api.ts';
import type { Starter } from '../starters.ts';
import { findBinary } from './binaries.ts';
import { LocalService } from './local-service.ts';
import type { LocalStart } from './local-start.ts';
import type { LocalSession } from './session.ts';

export interface HaproxyOptions {
  port: number;
  /** Backend servers by name, each reached at this port (its lb->web proxy). */
  servers: { name: string; port: number }[];
  healthCheck: HealthCheck;
  /** The app's health path, which HAProxy checks. */
  healthPath: string;
  /** Stateful tier: pin each client to one server with an inserted cookie. */
  sticky: boolean;
}

export interface Haproxy {
  service: LocalService;
  socket: string;
}

export async function startHaproxy(session: LocalSession, options: HaproxyOptions): Promise<Haproxy> {
  const command = findBinary('haproxy');
  if (!command)
    throw new FaultlineError('env.haproxy', 'haproxy is not installed', 'apt-get install -y haproxy');
  const socket = session.path('haproxy.sock');
  const config = session.path('haproxy.cfg');
  writeFileSync(
    config,
    haproxyConfig({
      bind: `127.0.0.1:${options.port}`,
      statsSocket: `${socket} mode 600`,
      servers: options.servers.map((s) => ({ name: s.name, address: `127.0.0.1:${s.port}` })),
      healthCheck: options.healthCheck,
      healthPath: options.healthPath,
      sticky: options.sticky,
    }),
  );
  const service = new LocalService(
    {
      name: 'lb',
      command,
      args: ['-db', '-f', config],
      ports: { http: options.port },
      ready: (_, signal) => allServersUp(socket, options.servers.length, signal),
    },
    session,
  );
  await service.start();
  return { service, socket };
}

/** In front of every web instance, each through its lb->web proxy. */
export const startLoadBalancer: Starter<LocalStart> = (_name, ctx) => ({
  async start() {
    const c = ctx.composition;
    const lb = await startHaproxy(ctx.session, {
      port: ctx.port('lb'),
      servers: c.web.map((web) => ({ name: web, port: ctx.port(`lb->${web}`) })),
      healthCheck: c.lb.healthCheck,
      healthPath: c.app.healthPath,
      sticky: c.lb.sticky,
    });
    ctx.add(lb.service);
    ctx.useLbApi(lb.socket);
    ctx.expose('lb', `http://127.0.0.1:${ctx.port('lb')}`);
  },
});
