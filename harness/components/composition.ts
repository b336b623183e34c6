/**
 * A composition: the services one topology runs and the links that join them, whatever runtime
 * starts it. Every link is a Toxiproxy proxy named "<from>-><to>"; the load generator talks to the
 * load balancer and the CDN edge directly.
 */
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
  /** The Redis session store, when sessions live outside the web instances. */
  sessions: string | undefined;
  /** The web instances' names; each runs `app`. */
  web: string[];
  app: WebApp;
  lb: { healthCheck: HealthCheck; sticky: boolean };
  cdn: { graceSeconds: number };
}

export interface LinkSpec {
  name: string;
  from: string;
  to: string;
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

/** Every network path between two services. */
export function linksOf(c: Composition): LinkSpec[] {
  const link = (from: string, to: string): LinkSpec => ({ name: `${from}->${to}`, from, to });
  const result: LinkSpec[] = [link('cdn', 'lb')];
  for (const web of c.web) {
    result.push(link('lb', web));
    for (const to of dataServicesOf(c)) result.push(link(web, to));
  }
  // Patroni replicas stream from whichever node leads, straight to it; each node reaches the DCS
  // through a link of its own, so a node can be cut off from it.
  if (c.dcs) for (const node of postgresNodesOf(c)) result.push(link(node, c.dcs));
  else for (const replica of c.replicas) result.push(link(replica, c.primary));
  if (c.writeEndpoint) {
    for (const node of postgresNodesOf(c)) result.push(link(c.writeEndpoint, node));
  }
  // A replica the runbook repoints streams from its promoted sibling, through a link of its own.
  if (c.failover.manager === 'manual') {
    for (const replica of c.replicas) {
      for (const other of c.replicas) if (other !== replica) result.push(link(replica, other));
    }
  }
  return result;
}
