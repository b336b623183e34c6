/**
 * A composition: the services one topology runs and the links that join them, whatever runtime
 * starts it. Every link is a Toxiproxy proxy named "<from>-><to>"; the load generator talks to the
 * load balancer and the CDN edge directly.
 */
import { cacheServersOf } from './cache-failover.ts';
import type { HealthCheck } from './load-balancer.ts';
import type { WebApp } from './web-app.ts';

/**
 * Who moves the primary when it dies: nobody (writes fail until it is back), or the harness acting
 * as an operator's runbook (detect, promote the most advanced replica, repoint the rest).
 */
export interface FailoverSpec {
  manager: 'none' | 'manual' | 'patroni';
  /** Failed probes of the primary in a row before the runbook calls it dead. */
  probes: number;
  probeIntervalMs: number;
  /** How long the operator takes between detecting and promoting. */
  promoteDelayMs: number;
  /** Patroni's timing (its bootstrap DCS settings), in seconds and bytes as Patroni takes them. */
  patroni: { ttl: number; loopWait: number; retryTimeout: number; maximumLagOnFailover: number };
}

export interface Composition {
  /** The target it was composed from ("shop"), for result.json. */
  target: string;
  /** The target's options as parsed, for result.json and reports. */
  options: Record<string, unknown>;
  primary: string;
  replicas: string[];
  /**
   * The HAProxy endpoint writers reach the primary through when a failover manager can move it
   * ("pg-write"); without one, writers reach the primary directly.
   */
  writeEndpoint: string | undefined;
  /** The distributed configuration store Patroni keeps its leader key in ("etcd"), with Patroni only. */
  dcs: string | undefined;
  failover: FailoverSpec;
  /** async: a commit is acknowledged on the primary alone; sync: once a replica has it too. */
  replication: 'async' | 'sync';
  caches: string[];
  /**
   * With Sentinel: each cache node is an endpoint over a master and a replica (cache-failover.ts),
   * and these Sentinels watch them; undefined without.
   */
  cacheFailover: { sentinels: string[]; downAfterMs: number } | undefined;
  /** The Redis session store, when sessions live outside the web instances. */
  sessions: string | undefined;
  /** The web instances' names; each runs `app`. */
  web: string[];
  app: WebApp;
  lb: { healthCheck: HealthCheck; sticky: boolean };
  /** The edge's grace, and the token its invalidation API (PURGE, BAN) asks for. */
  cdn: { graceSeconds: number; invalidateToken: string };
}

export interface LinkSpec {
  name: string;
  from: string;
  to: string;
  /** The port of `to` it carries when not its main one: Patroni's REST API. */
  port?: 'rest';
}

/** The services of a composition in start order, the Toxiproxy server first. */
export function serviceNamesOf(c: Composition): string[] {
  return [
    'toxiproxy',
    'lb',
    'cdn',
    c.primary,
    ...c.replicas,
    ...(c.dcs ? [c.dcs] : []),
    ...(c.writeEndpoint ? [c.writeEndpoint] : []),
    ...c.caches,
    ...c.caches.flatMap((cache) => cacheServersOf(c, cache).filter((s) => s !== cache)),
    ...(c.cacheFailover?.sentinels ?? []),
    ...(c.sessions ? [c.sessions] : []),
    ...c.web,
  ];
}

/** The data services a web instance reaches, each through its own link (writes through the endpoint, when there is one). */
export function dataServicesOf(c: Composition): string[] {
  return [c.writeEndpoint ?? c.primary, ...c.replicas, ...c.caches, ...(c.sessions ? [c.sessions] : [])];
}

/** Every PostgreSQL node, the primary first: after a failover any of them may be the primary. */
export function postgresNodesOf(c: Composition): string[] {
  return [c.primary, ...c.replicas];
}

/**
 * Where links start that no service of the composition owns: "peers" are the other PostgreSQL
 * nodes of a Patroni cluster (they stream from, and rewind against, a node at one address) and
 * "peers-api" their Patroni asking its REST API (who is ahead, who is alive), and "monitor" is the
 * operator's monitoring that the manual runbook probes the primary with (the harness itself, on
 * the replicas' side of the network).
 */
export const PEERS = 'peers';
export const PEERS_API = 'peers-api';
export const MONITOR = 'monitor';

/** Every network path between two services. */
export function linksOf(c: Composition): LinkSpec[] {
  const link = (from: string, to: string, port?: 'rest'): LinkSpec => ({
    name: `${from}->${to}`,
    from,
    to,
    ...(port ? { port } : {}),
  });
  const result: LinkSpec[] = [link('cdn', 'lb')];
  for (const web of c.web) {
    result.push(link('lb', web));
    for (const to of dataServicesOf(c)) result.push(link(web, to));
  }
  // Patroni replicas stream from whichever node leads at the addresses it advertises, its
  // peers->node and peers-api->node links. Each node reaches the DCS through a link of its own, so a
  // node can be cut off from it.
  if (c.dcs) {
    for (const node of postgresNodesOf(c)) {
      result.push(link(node, c.dcs), link(PEERS, node), link(PEERS_API, node, 'rest'));
    }
  } else for (const replica of c.replicas) result.push(link(replica, c.primary));
  if (c.writeEndpoint) {
    for (const node of postgresNodesOf(c)) result.push(link(c.writeEndpoint, node));
  }
  // A cache endpoint reaches its master and replica each through a link (Sentinels and
  // replication go direct: Sentinel hands out the servers' own addresses).
  if (c.cacheFailover) {
    for (const cache of c.caches)
      for (const server of cacheServersOf(c, cache)) result.push(link(cache, server));
  }
  // A replica the runbook repoints streams from its promoted sibling, through a link of its own;
  // the runbook probes each node through its monitor->node link.
  if (c.failover.manager === 'manual') {
    for (const replica of c.replicas) {
      for (const other of c.replicas) if (other !== replica) result.push(link(replica, other));
    }
    for (const node of postgresNodesOf(c)) result.push(link(MONITOR, node));
  }
  return result;
}

/**
 * The key of the port a link forwards to, in a runtime's port table: the service's name for its
 * main port, "<service>:<port>" for another ("pg-replica-1:rest").
 */
export function portKeyOf(service: string, port?: LinkSpec['port']): string {
  return port ? `${service}:${port}` : service;
}

/** The links the harness itself connects through (the runbook's probes), not a service. */
export function harnessLinksOf(c: Composition): LinkSpec[] {
  return linksOf(c).filter((l) => l.from === MONITOR);
}

/**
 * The links that cut `node` off from the rest of the database tier: from the other PostgreSQL
 * nodes both ways (replication, a repointed replica), from its peers and the operator's
 * monitoring, and from the DCS. Its clients' path (pg-write->node, web-N->node) stays up, so a
 * primary cut off this way may still take writes.
 */
export function partitionLinksOf(c: Composition, node: string): LinkSpec[] {
  const tier = new Set([...postgresNodesOf(c), ...(c.dcs ? [c.dcs] : []), PEERS, PEERS_API, MONITOR]);
  return linksOf(c).filter((l) => (l.from === node && tier.has(l.to)) || (l.to === node && tier.has(l.from)));
}
