/**
 * What starts a composition's topology, and what each start waits for: the same on every runtime,
 * so a runtime only says how it starts each kind of component (its starters), never in which order.
 * A start waits only for what it really needs, so everything else comes up side by side.
 */
import { cachePairOf } from './cache-failover.ts';
import { type Composition, postgresNodesOf } from './composition.ts';

/** The kinds of component a runtime must know how to start (each has a starter per runtime). */
export type ComponentKind =
  | 'link-proxy'
  | 'postgres-primary'
  | 'app-schema'
  | 'postgres-replica'
  | 'redis'
  | 'redis-replica'
  | 'cache-sentinel'
  | 'cache-endpoint'
  | 'web-app'
  | 'load-balancer'
  | 'cdn-edge'
  | 'write-endpoint'
  | 'failover-manager'
  | 'dcs'
  | 'patroni-node';

export interface PlannedStart {
  /** The service it starts (or, for the app's schema, "app-schema"); other starts wait for it by this name. */
  name: string;
  component: ComponentKind;
  waitsFor: string[];
}

/** The step that applies the web app's schema to the primary. */
export const APP_SCHEMA = 'app-schema';

/** The step that starts watching the primary: the manual runbook, or following Patroni's leader. */
export const FAILOVER_MANAGER = 'failover-manager';

/**
 * The PostgreSQL nodes: started by the harness (the primary, then replicas cloned through their
 * link to it), or each by its Patroni once etcd runs (the primary first, so it takes the leader key
 * and the replicas clone from it; each reaches etcd through its own link).
 */
function postgresSteps(c: Composition): PlannedStart[] {
  const dcs = c.dcs;
  if (!dcs) {
    return [
      { name: c.primary, component: 'postgres-primary', waitsFor: [] },
      ...c.replicas.map(
        (name): PlannedStart => ({ name, component: 'postgres-replica', waitsFor: ['toxiproxy', c.primary] }),
      ),
    ];
  }
  return [
    { name: dcs, component: 'dcs', waitsFor: [] },
    { name: c.primary, component: 'patroni-node', waitsFor: ['toxiproxy', dcs] },
    ...c.replicas.map(
      (name): PlannedStart => ({ name, component: 'patroni-node', waitsFor: ['toxiproxy', dcs, c.primary] }),
    ),
  ];
}

/**
 * The cache: a Redis server per node, or with Sentinel each node's master, its replica (which
 * syncs from the master as it starts), the Sentinels once every master runs, and the node's
 * endpoint once both of its servers run (ready when it routes to the master alone).
 */
function cacheSteps(c: Composition): PlannedStart[] {
  const sentinels = c.cacheFailover?.sentinels;
  if (!sentinels) return c.caches.map((name) => ({ name, component: 'redis', waitsFor: [] }));
  const pairs = c.caches.map((cache) => ({ cache, ...cachePairOf(cache) }));
  return [
    ...pairs.flatMap(({ master, replica }): PlannedStart[] => [
      { name: master, component: 'redis', waitsFor: [] },
      { name: replica, component: 'redis-replica', waitsFor: [master] },
    ]),
    ...sentinels.map(
      (name): PlannedStart => ({
        name,
        component: 'cache-sentinel',
        waitsFor: pairs.flatMap((p) => [p.master, p.replica]),
      }),
    ),
    ...pairs.map(
      ({ cache, master, replica }): PlannedStart => ({
        name: cache,
        component: 'cache-endpoint',
        waitsFor: ['toxiproxy', master, replica],
      }),
    ),
  ];
}

export function startPlan(c: Composition): PlannedStart[] {
  // What a web instance waits for of the cache: each node (its endpoint, with Sentinel), and the
  // Sentinels, so a failover is armed before any load.
  const cacheReady = [...c.caches, ...(c.cacheFailover?.sentinels ?? [])];
  const redisNodes = [...cacheReady, ...(c.sessions ? [c.sessions] : [])];
  const writeEndpoint = c.writeEndpoint ? [c.writeEndpoint] : [];
  return [
    // Every link is a proxy in it: whatever reaches another service through a link waits for it.
    { name: 'toxiproxy', component: 'link-proxy', waitsFor: [] },
    ...postgresSteps(c),
    // Before any instance starts (the contract), and on the primary only: replicas get it by streaming.
    { name: APP_SCHEMA, component: 'app-schema', waitsFor: [c.primary] },
    ...cacheSteps(c),
    ...(c.sessions ? [{ name: c.sessions, component: 'redis' as const, waitsFor: [] }] : []),
    // An app may connect to every data service as it boots, so all of them are up first.
    ...c.web.map(
      (name): PlannedStart => ({
        name,
        component: 'web-app',
        waitsFor: ['toxiproxy', APP_SCHEMA, ...c.replicas, ...redisNodes, ...writeEndpoint],
      }),
    ),
    // Ready once it routes to the primary; the runbook's replicas stand by in it, disabled, and
    // with Patroni it checks every node's REST API, so every node is up first.
    ...writeEndpoint.map(
      (name): PlannedStart => ({
        name,
        component: 'write-endpoint',
        waitsFor: ['toxiproxy', ...(c.dcs ? postgresNodesOf(c) : [c.primary])],
      }),
    ),
    // It watches a primary that serves and may promote any replica, so all of them are up first.
    ...(c.failover.manager !== 'none'
      ? [
          {
            name: FAILOVER_MANAGER,
            component: 'failover-manager' as const,
            waitsFor: [...writeEndpoint, ...c.replicas],
          },
        ]
      : []),
    // HAProxy is ready once every server passed its checks, so it starts after the instances.
    { name: 'lb', component: 'load-balancer', waitsFor: ['toxiproxy', ...c.web] },
    // Varnish compiles its VCL (~0.4 s) while HAProxy starts, which listens within milliseconds, so
    // the edge's first probe of its origin finds the LB serving. It is ready once a request through
    // it reaches a healthy origin (so an edge that began sick is never called ready).
    { name: 'cdn', component: 'cdn-edge', waitsFor: ['toxiproxy', ...c.web] },
  ];
}
