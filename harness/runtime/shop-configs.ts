/**
 * The shop's HAProxy and Varnish configurations, rendered from the templates in targets/shop for
 * whichever runtime starts them: only addresses differ between loopback processes and containers.
 */
import { fileURLToPath } from 'node:url';
import { renderTemplate } from './template.ts';

const HAPROXY_TEMPLATE = fileURLToPath(new URL('../../targets/shop/haproxy.cfg', import.meta.url));
const VCL_TEMPLATE = fileURLToPath(new URL('../../targets/shop/default.vcl', import.meta.url));

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
  /** Stateful tier: pin each client to one server with an inserted cookie. */
  sticky: boolean;
}

export function haproxyConfig(c: HaproxyConfig): string {
  const cookie = (name: string) => (c.sticky ? ` cookie ${name}` : '');
  return renderTemplate(HAPROXY_TEMPLATE, {
    bind: c.bind,
    statsSocket: c.statsSocket,
    checkIntervalMs: c.healthCheck.intervalMs,
    checkFall: c.healthCheck.fall,
    checkRise: c.healthCheck.rise,
    stickiness: c.sticky ? '  cookie SERVERID insert indirect nocache' : '',
    servers: c.servers.map((s) => `  server ${s.name} ${s.address} check${cookie(s.name)}`).join('\n'),
  });
}

export interface VclConfig {
  originHost: string;
  originPort: number;
  graceSeconds: number;
}

export function varnishVcl(c: VclConfig): string {
  return renderTemplate(VCL_TEMPLATE, { ...c });
}
