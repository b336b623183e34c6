/**
 * A cache that fails over (cacheFailover.manager: 'sentinel'). Each cache node the app knows,
 * `cache-K`, is then an endpoint: HAProxy in TCP mode over two Redis servers, `cache-K-a` (the
 * master at start) and `cache-K-b` (its replica), each through its `cache-K->cache-K-x` link,
 * routing to whichever answers `role:master`, the way HAProxy is run in front of Sentinel. Three
 * Redis Sentinels watch every pair and promote the replica when the master is down. The app's
 * contract and its links (web-N->cache-K) stay what they are without it.
 */
import { fileURLToPath } from 'node:url';
import type { Composition } from './composition.ts';
import { renderTemplate } from './template.ts';

const TEMPLATE = fileURLToPath(new URL('./cache-endpoint.cfg', import.meta.url));

export const SENTINELS = ['cache-sentinel-1', 'cache-sentinel-2', 'cache-sentinel-3'] as const;
/** Two of three Sentinels must agree a master is down: one Sentinel's view is not enough. */
export const SENTINEL_QUORUM = 2;

/** The Redis servers behind a cache node: its master and replica with Sentinel, else the node itself. */
export function cacheServersOf(c: Pick<Composition, 'cacheFailover'>, cache: string): string[] {
  return c.cacheFailover ? [`${cache}-a`, `${cache}-b`] : [cache];
}

/** The server a cache node's master is at start, and the one that replicates it. */
export function cachePairOf(cache: string): { master: string; replica: string } {
  return { master: `${cache}-a`, replica: `${cache}-b` };
}

/** The server a replica syncs from at start ("cache-1-b" → "cache-1-a"). */
export const masterOfReplica = (replica: string) => cachePairOf(replica.replace(/-b$/, '')).master;

export interface CacheEndpointConfig {
  bind: string;
  statsSocket: string;
  /** Its servers, each reached through its cache-K->server link. */
  servers: { name: string; address: string }[];
}

/** How often an endpoint asks each server its role: a promoted replica takes traffic within ~0.4 s. */
export const CACHE_ENDPOINT_CHECK_MS = 200;

export function cacheEndpointConfig(c: CacheEndpointConfig): string {
  return renderTemplate(TEMPLATE, {
    bind: c.bind,
    statsSocket: c.statsSocket,
    checkIntervalMs: CACHE_ENDPOINT_CHECK_MS,
    servers: c.servers.map((s) => `  server ${s.name} ${s.address} check`).join('\n'),
  });
}

export interface SentinelConfig {
  bind: string;
  port: number;
  /** Each cache node's master at start, as the Sentinels reach it. */
  masters: { name: string; host: string; port: number }[];
  downAfterMs: number;
  /** Containers are named, not numbered: Sentinels resolve and hand out host names (Redis ≥ 6.2). */
  hostnames: boolean;
  /** How this Sentinel names itself to the others (its container name), when hostnames are used. */
  announce?: string;
}

/** A Sentinel's configuration file (it rewrites the file as it learns the replicas and the others). */
export function sentinelConfig(c: SentinelConfig): string {
  const lines = [
    `port ${c.port}`,
    `bind ${c.bind}`,
    'protected-mode no',
    'daemonize no',
    ...(c.hostnames ? ['sentinel resolve-hostnames yes', 'sentinel announce-hostnames yes'] : []),
    ...(c.announce ? [`sentinel announce-ip ${c.announce}`] : []),
  ];
  for (const m of c.masters) {
    lines.push(
      `sentinel monitor ${m.name} ${m.host} ${m.port} ${SENTINEL_QUORUM}`,
      `sentinel down-after-milliseconds ${m.name} ${c.downAfterMs}`,
      // A failover that stalls is retried after this long; a few detection periods is enough here.
      `sentinel failover-timeout ${m.name} ${Math.max(3000, 3 * c.downAfterMs)}`,
      `sentinel parallel-syncs ${m.name} 1`,
    );
  }
  return `${lines.join('\n')}\n`;
}
