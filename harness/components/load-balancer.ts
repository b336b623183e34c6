/**
 * The load-balancer component: HAProxy in front of the web instances, each reached through its own
 * lb->web-N link, with health checks on the app's health path. Only addresses differ between
 * loopback processes and containers, so both runtimes render the same template.
 */
import { fileURLToPath } from 'node:url';
import { renderTemplate } from './template.ts';

const TEMPLATE = fileURLToPath(new URL('./haproxy.cfg', import.meta.url));

export interface HealthCheck {
  intervalMs: number;
  fall: number;
  rise: number;
}

export interface HaproxyConfig {
  /** HAProxy bind address, e.g. "127.0.0.1:8080" or ":8080". */
  bind: string;
  /** Stats socket address plus its options, e.g. "/tmp/x.sock mode 600" or "ipv4@0.0.0.0:9999". */
  statsSocket: string;
  /** Backend servers by name, each reached at host:port (its lb->web proxy). */
  servers: { name: string; address: string }[];
  healthCheck: HealthCheck;
  /** The app's health path, which HAProxy checks (2xx is healthy). */
  healthPath: string;
  /** Stateful tier: pin each client to one server with an inserted cookie. */
  sticky: boolean;
}

export function haproxyConfig(c: HaproxyConfig): string {
  const cookie = (name: string) => (c.sticky ? ` cookie ${name}` : '');
  return renderTemplate(TEMPLATE, {
    bind: c.bind,
    statsSocket: c.statsSocket,
    healthPath: c.healthPath,
    checkIntervalMs: c.healthCheck.intervalMs,
    checkFall: c.healthCheck.fall,
    checkRise: c.healthCheck.rise,
    stickiness: c.sticky ? '  cookie SERVERID insert indirect nocache' : '',
    servers: c.servers.map((s) => `  server ${s.name} ${s.address} check${cookie(s.name)}`).join('\n'),
  });
}
