/** What the local runtime's starters are given, and the starter of each kind of component. */
import type { LocalApp } from '../../components/web-app.ts';
import { schemaStarter } from '../app-schema.ts';
import { startFailoverManager } from '../failover/failover-manager.ts';
import type { Starters } from '../starters.ts';
import type { TopologyStart } from '../topology.ts';
import { startCacheEndpoint } from './cache-endpoint.ts';
import { startEtcd } from './etcd.ts';
import { startLoadBalancer } from './haproxy.ts';
import type { LocalService } from './local-service.ts';
import { startPatroniNode } from './patroni.ts';
import { startPrimaryNode, startReplicaNode } from './postgres.ts';
import { startRedisNode, startRedisReplica } from './redis.ts';
import { startSentinel } from './sentinel.ts';
import type { LocalSession } from './session.ts';
import { startLinkProxies } from './toxiproxy.ts';
import { startCdnEdge } from './varnish.ts';
import { startWebApp } from './web-app.ts';
import { startWriteEndpoint } from './write-endpoint.ts';

export interface LocalStart extends TopologyStart<LocalService> {
  readonly session: LocalSession;
  /** The web app as it runs here (resolved, and its command checked, before anything started). */
  readonly app: LocalApp;
  /** The loopback port of a service or of a link's proxy, all chosen before anything started. */
  port(name: string): number;
}

export const localStarters: Starters<LocalStart> = {
  'link-proxy': startLinkProxies,
  'postgres-primary': startPrimaryNode,
  'app-schema': schemaStarter,
  'postgres-replica': startReplicaNode,
  redis: startRedisNode,
  'redis-replica': startRedisReplica,
  'cache-sentinel': startSentinel,
  'cache-endpoint': startCacheEndpoint,
  'web-app': startWebApp,
  'load-balancer': startLoadBalancer,
  'cdn-edge': startCdnEdge,
  'write-endpoint': startWriteEndpoint,
  'failover-manager': startFailoverManager,
  dcs: startEtcd,
  'patroni-node': startPatroniNode,
};
