/** What the docker runtime's starters are given, and the starter of each kind of component. */
import type { GenericContainer } from 'testcontainers';
import type { DockerApp } from '../../components/web-app.ts';
import { schemaStarter } from '../app-schema.ts';
import { startFailoverManager } from '../failover/failover-manager.ts';
import type { Starters } from '../starters.ts';
import type { TopologyStart } from '../topology.ts';
import { startCacheEndpoint } from './cache-endpoint.ts';
import type { DockerService } from './docker-service.ts';
import { startEtcd } from './etcd.ts';
import { startLoadBalancer } from './haproxy.ts';
import type { ImageSet } from './images.ts';
import { startPatroniNode } from './patroni.ts';
import { startPrimaryNode, startReplicaNode } from './postgres.ts';
import { startRedisNode, startRedisReplica } from './redis.ts';
import { startSentinel } from './sentinel.ts';
import { startLinkProxies } from './toxiproxy.ts';
import { startCdnEdge } from './varnish.ts';
import { startWebApp } from './web-app.ts';
import { startWriteEndpoint } from './write-endpoint.ts';

export interface DockerStart extends TopologyStart<DockerService> {
  readonly images: ImageSet;
  /** The web app as it runs here (its image on the engine before anything started). */
  readonly app: DockerApp;
  /** The image Patroni's nodes and etcd run (failover: patroni), made on the engine on first use. */
  readonly patroniImage: string;
  /** The session's id, unique on the engine (Patroni's cluster is named by it). */
  readonly sessionId: string;
  /** The engine's host, where published ports are reached. */
  readonly engineHost: string;
  /** A container of this session on its network, reachable by `name`, with host ports bound up front; added once started. */
  run(
    name: string,
    image: string,
    ports: Record<string, number>,
    configure: (c: GenericContainer) => GenericContainer,
  ): Promise<DockerService>;
  /** The container name of a service, which the session network's DNS resolves. */
  containerName(service: string): string;
}

export const dockerStarters: Starters<DockerStart> = {
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
