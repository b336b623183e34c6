/**
 * The write-endpoint component: HAProxy in TCP mode in front of every PostgreSQL node, each through
 * its pg-write->node link, routing to the one node that is the primary. The manual runbook moves it
 * with HAProxy's runtime API (the way a VIP is moved); with Patroni, HAProxy asks every node's REST
 * API and routes to the leader (the way Patroni clusters are run). Only addresses differ between
 * loopback processes and containers, so both runtimes render it.
 */
import { fileURLToPath } from 'node:url';
import { renderTemplate } from './template.ts';

const TEMPLATE = fileURLToPath(new URL('./pg-write.cfg', import.meta.url));

/** The backend the nodes are servers of, in runtime API commands ("set server pg/pg-replica-1 ..."). */
export const WRITE_BACKEND = 'pg';

export interface WriteEndpointNode {
  name: string;
  /** Its pg-write->node proxy. */
  address: string;
  /** Patroni: where its REST API answers (checked straight, not through the link). */
  rest?: { host: string; port: number };
}

export interface WriteEndpointConfig {
  bind: string;
  statsSocket: string;
  nodes: WriteEndpointNode[];
  /** Connect checks with only this node enabled (the runbook moves it), or Patroni's REST checks. */
  routing: { primary: string } | 'patroni';
  /** How soon a dead node is DOWN (two failed checks) and a new primary UP (one). */
  checkIntervalMs: number;
}

export function writeEndpointConfig(c: WriteEndpointConfig): string {
  const server = (n: WriteEndpointNode) => {
    if (c.routing === 'patroni') {
      if (!n.rest) throw new Error(`write endpoint: ${n.name} has no REST address`);
      return `  server ${n.name} ${n.address} check addr ${n.rest.host} port ${n.rest.port}`;
    }
    return `  server ${n.name} ${n.address} check${n.name === c.routing.primary ? '' : ' disabled'}`;
  };
  return renderTemplate(TEMPLATE, {
    bind: c.bind,
    statsSocket: c.statsSocket,
    checkIntervalMs: c.checkIntervalMs,
    healthCheck:
      c.routing === 'patroni'
        ? '  option httpchk\n  http-check send meth GET uri /primary\n  http-check expect status 200'
        : '',
    servers: c.nodes.map(server).join('\n'),
  });
}
