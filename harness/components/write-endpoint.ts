/**
 * The write-endpoint component: HAProxy in TCP mode in front of every PostgreSQL node, each through
 * its pg-write->node link, routing to the one node that is the primary. A failover manager moves it
 * with HAProxy's runtime API, the way a VIP or a proxy in front of a PostgreSQL cluster is moved.
 * Only addresses differ between loopback processes and containers, so both runtimes render it.
 */
import { fileURLToPath } from 'node:url';
import { renderTemplate } from './template.ts';

const TEMPLATE = fileURLToPath(new URL('./pg-write.cfg', import.meta.url));

/** The backend the nodes are servers of, in runtime API commands ("set server pg/pg-replica-1 ..."). */
export const WRITE_BACKEND = 'pg';

export interface WriteEndpointConfig {
  bind: string;
  statsSocket: string;
  /** Every node, reached at its pg-write->node proxy; `primary` is the one enabled at start. */
  nodes: { name: string; address: string }[];
  primary: string;
  /** Connect checks: how soon a dead node is DOWN (two failed checks) and a promoted one UP (one). */
  checkIntervalMs: number;
}

export function writeEndpointConfig(c: WriteEndpointConfig): string {
  return renderTemplate(TEMPLATE, {
    bind: c.bind,
    statsSocket: c.statsSocket,
    checkIntervalMs: c.checkIntervalMs,
    servers: c.nodes
      .map((n) => `  server ${n.name} ${n.address} check${n.name === c.primary ? '' : ' disabled'}`)
      .join('\n'),
  });
}
