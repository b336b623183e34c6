/** A started topology, whatever runtime runs it (DESIGN.md "Central interfaces"). */
import type { Proxy as ToxiproxyProxy } from 'toxiproxy-node-client';
import { type Composition, linksOf, serviceNamesOf } from '../components/composition.ts';
import { usageError } from '../core/errors.ts';
import type { Logger } from '../core/logger.ts';
import type { FailoverManager, FailoverView } from './failover/failover-view.ts';
import { type HaproxyApi, type ServerState, serverStates } from './haproxy-api.ts';
import type { ServiceHandle } from './service.ts';
import { type StartReport, startGraph } from './start-graph.ts';
import { type StartContext, type Starters, startSteps } from './starters.ts';
import type { StaticFiles } from './static-files.ts';

export interface TopologyEndpoints {
  /** The load balancer (the site's entry point). */
  lb: string;
  /** The CDN edge for /static/*. */
  cdn: string;
  /** Toxiproxy API URL: every link is a proxy there. */
  toxiproxy: string;
}

export interface StartedTopology extends AsyncDisposable {
  /** What it runs: the target's services, links and web app. */
  readonly composition: Composition;
  /** The target's topology options as parsed (result.json records them). */
  readonly options: Record<string, unknown>;
  readonly endpoints: TopologyEndpoints;
  /** Service names in start order. */
  readonly serviceNames: readonly string[];
  /** Link names ("web-1->pg-primary", ...). */
  readonly linkNames: readonly string[];
  service(name: string): ServiceHandle;
  /** Each web server's state as the load balancer sees it (HAProxy's runtime API). */
  lbServerStates(): Promise<ServerState[]>;
  /** Each PostgreSQL node's state in the write endpoint (none without one). */
  writeEndpointStates(): Promise<ServerState[]>;
  /** Who moves the primary, when a failover manager runs: which node is the primary now. */
  readonly failover?: FailoverView | undefined;
  /** What runs the services and at which versions (binaries or images), for result.json. */
  versions(): Promise<Record<string, string>>;
  /** The link's Toxiproxy proxy, driven with toxiproxy-node-client. */
  proxy(link: string): ToxiproxyProxy;
  /** How long the start took and where the time went (the longest chain of waits). */
  readonly startReport?: StartReport | undefined;
  /** The web tier's static files, when its app has a staticDir: what an asset-change fault rewrites. */
  readonly staticFiles?: StaticFiles | undefined;
  stop(): Promise<void>;
}

/** The node that is the primary now: the failover manager's answer, or the composition's primary. */
export function primaryNow(topology: Pick<StartedTopology, 'failover' | 'composition'>): string {
  return topology.failover?.primary() ?? topology.composition.primary;
}

/**
 * The services and links a composition's topology will have, known before anything starts (so an
 * experiment's faults are checked against it first).
 */
export function plannedTopology(c: Composition): Pick<StartedTopology, 'serviceNames' | 'linkNames'> {
  return { serviceNames: serviceNamesOf(c), linkNames: linksOf(c).map((l) => l.name) };
}

/**
 * What every runtime's topology shares: its services and link proxies by name (with errors that list
 * what exists), starting everything by the shared start plan or stopping it all, and a stop that runs
 * once. A runtime adds its starters (`startContext`, one starter per kind of component) and how it
 * takes everything down (`release`).
 */
export abstract class BaseTopology<S extends ServiceHandle, C extends TopologyStart<S>>
  implements StartedTopology
{
  endpoints: TopologyEndpoints = { lb: '', cdn: '', toxiproxy: '' };
  readonly serviceNames: readonly string[];
  readonly linkNames: readonly string[];
  /** How long the start took and where the time went (the longest chain of waits). */
  startReport: StartReport | undefined;
  staticFiles: StaticFiles | undefined;
  protected readonly services = new Map<string, S>();
  protected readonly proxies = new Map<string, ToxiproxyProxy>();
  /** HAProxy's runtime API, once the load balancer started. */
  protected lbApi: HaproxyApi = '';
  /** The write endpoint's runtime API, once it started (when the composition has one). */
  protected writeApi: HaproxyApi | undefined;
  private failoverManager: FailoverManager | undefined;
  private stopped = false;

  protected constructor(
    readonly composition: Composition,
    protected readonly log: Logger,
  ) {
    ({ serviceNames: this.serviceNames, linkNames: this.linkNames } = plannedTopology(composition));
  }

  get options(): Record<string, unknown> {
    return this.composition.options;
  }

  abstract versions(): Promise<Record<string, string>>;
  /** The runtime's starters and what they are given. */
  protected abstract starters(): { starters: Starters<C>; context: C };
  /** Takes down everything the runtime started (its data is throwaway: no graceful shutdown owed). */
  protected abstract release(): Promise<void>;

  lbServerStates(): Promise<ServerState[]> {
    return serverStates(this.lbApi);
  }

  async writeEndpointStates(): Promise<ServerState[]> {
    return this.writeApi === undefined ? [] : serverStates(this.writeApi);
  }

  get failover(): FailoverView | undefined {
    return this.failoverManager;
  }

  service(name: string): S {
    const service = this.services.get(name);
    if (!service) {
      throw usageError(
        'topology.service',
        `no service named "${name}"`,
        `services: ${this.serviceNames.join(', ')}`,
      );
    }
    return service;
  }

  proxy(link: string): ToxiproxyProxy {
    const proxy = this.proxies.get(link);
    if (!proxy)
      throw usageError('topology.link', `no link named "${link}"`, `links: ${this.linkNames.join(', ')}`);
    return proxy;
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    // First, so that the topology going down is never taken for a primary to replace.
    await this.failoverManager?.stop();
    await this.release();
    this.log.info('topology stopped');
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.stop();
  }

  /** Starts everything; anything that fails to start stops everything already started. */
  protected async startOrStop(): Promise<this> {
    try {
      const { starters, context } = this.starters();
      this.startReport = await startGraph(startSteps(starters, context), { log: this.log });
      return this;
    } catch (err) {
      await this.stop();
      throw err;
    }
  }

  /** What every runtime's starters may do to the topology they start. */
  protected sharedContext(): Omit<TopologyStart<S>, 'hostPort' | 'reach' | 'harnessReach'> {
    return {
      composition: this.composition,
      add: (service) => {
        this.services.set(service.name, service);
      },
      proxies: this.proxies,
      expose: (endpoint, url) => {
        this.endpoints[endpoint] = url;
      },
      useLbApi: (api) => {
        this.lbApi = api;
      },
      useWriteEndpointApi: (api) => {
        this.writeApi = api;
      },
      writeEndpointApi: () => {
        if (this.writeApi === undefined) throw new Error('the write endpoint has not started');
        return this.writeApi;
      },
      useFailover: (manager) => {
        this.failoverManager = manager;
      },
      handle: (name) => this.service(name),
    };
  }
}

/** A runtime's start context: the shared part, which its own adds to. */
export interface TopologyStart<S extends ServiceHandle> extends StartContext {
  /** A started service, from now on the topology's (and stopped with it). */
  add(service: S): void;
  /** Each link's proxy by name, once the link proxies started. */
  readonly proxies: Map<string, ToxiproxyProxy>;
  expose(endpoint: keyof TopologyEndpoints, url: string): void;
  useLbApi(api: HaproxyApi): void;
  useWriteEndpointApi(api: HaproxyApi): void;
  writeEndpointApi(): HaproxyApi;
  /** The failover manager it started, stopped before the topology goes down. */
  useFailover(manager: FailoverManager): void;
  /** A started service (where the harness reaches it). */
  handle(name: string): S;
}
