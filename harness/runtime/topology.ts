/** A started topology, whatever runtime runs it (DESIGN.md "Central interfaces"). */
import type { Proxy as ToxiproxyProxy } from 'toxiproxy-node-client';
import type { ShopTopology } from '../../targets/shop/topology.ts';
import type { ServerState } from './local/haproxy-api.ts';
import type { ServiceHandle } from './service.ts';

export interface TopologyEndpoints {
  /** The load balancer (the site's entry point). */
  lb: string;
  /** The CDN edge for /static/*. */
  cdn: string;
  /** Toxiproxy API URL: every link is a proxy there. */
  toxiproxy: string;
}

export interface StartedTopology extends AsyncDisposable {
  readonly options: ShopTopology;
  readonly endpoints: TopologyEndpoints;
  /** Service names in start order. */
  readonly serviceNames: readonly string[];
  /** Link names ("web-1->pg-primary", ...). */
  readonly linkNames: readonly string[];
  service(name: string): ServiceHandle;
  /** Each web server's state as the load balancer sees it (HAProxy's runtime API). */
  lbServerStates(): Promise<ServerState[]>;
  /** The link's Toxiproxy proxy, driven with toxiproxy-node-client. */
  proxy(link: string): ToxiproxyProxy;
  stop(): Promise<void>;
}
