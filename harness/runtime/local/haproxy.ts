/** HAProxy as the load balancer, in the foreground, with its runtime API on a unix socket. */
import { writeFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { FaultlineError } from '../../core/errors.ts';
import { findBinary } from './binaries.ts';
import { serverStates } from './haproxy-api.ts';
import { LocalService } from './local-service.ts';
import type { LocalSession } from './session.ts';
import { renderTemplate } from './template.ts';

const TEMPLATE = fileURLToPath(new URL('../../../targets/shop/haproxy.cfg', import.meta.url));

export interface HealthCheck {
  intervalMs: number;
  fall: number;
  rise: number;
}

export interface HaproxyOptions {
  port: number;
  /** Backend servers by name, each reached at this port (its lb->web proxy). */
  servers: { name: string; port: number }[];
  healthCheck: HealthCheck;
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
  const cookie = (name: string) => (options.sticky ? ` cookie ${name}` : '');
  writeFileSync(
    config,
    renderTemplate(TEMPLATE, {
      socket,
      port: options.port,
      checkIntervalMs: options.healthCheck.intervalMs,
      checkFall: options.healthCheck.fall,
      checkRise: options.healthCheck.rise,
      stickiness: options.sticky ? '  cookie SERVERID insert indirect nocache' : '',
      servers: options.servers
        .map((s) => `  server ${s.name} 127.0.0.1:${s.port} check${cookie(s.name)}`)
        .join('\n'),
    }),
  );
  const service = new LocalService(
    {
      name: 'lb',
      command,
      args: ['-db', '-f', config],
      ports: { http: options.port },
      ready: async (_, signal) => {
        // Ready when the runtime API answers and every server passed its health check.
        while (!signal.aborted) {
          const states = await serverStates(socket).catch(() => []);
          if (states.length === options.servers.length && states.every((s) => s.status === 'UP')) return;
          await sleep(Math.min(100, options.healthCheck.intervalMs), undefined, { signal }).catch(
            () => undefined,
          );
        }
      },
    },
    session,
  );
  await service.start();
  return { service, socket };
}
