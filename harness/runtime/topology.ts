/** A started topology, whatever runtime runs it (DESIGN.md "Central interfaces"). */
import type { Proxy as ToxiproxyProxy } from 'toxiproxy-node-client';
import { type Composition, linksOf, serviceNamesOf } from '../components/composition.ts';
import { usageError } from '../core/errors.ts';
import type { Logger } from '../core/logger.ts';
import type { ServerState } from './haproxy-api.ts';
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
  /** What runs the services and at which versions (binaries or images), for result.json. */
  versions(): Promise<Record<string, string>>;
  /** The link's Toxiproxy proxy, driven with toxiproxy-node-client. */
  proxy(link: string): ToxiproxyProxy;
  stop(): Promise<void>;
}

/**
 * The services and links a composition's topology will have, known before anything starts (so an
 * experiment's faults are checked against it first).
 */
export function plannedTopology(c: Composition): Pick<StartedTopology, 'serviceNames' | 'linkNames'> {
  return { serviceNames: serviceNamesOf(c), linkNames: linksOf(c).map((l) => l.name) };
}

/** Runs start steps side by side; waits for all, then fails with the first error (so nothing is left half-started). */
export async function together(steps: Promise<unknown>[]): Promise<void> {
  const results = await Promise.allSettled(steps);
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
}

/**
 * What every runtime's topology shares: its services and link proxies by name (with errors that list
 * what exists), start-or-stop-everything, and a stop that runs once. A runtime adds how it starts
 * services (`startAll`) and how it takes them all down (`release`).
 */
export abstract class BaseTopology<S extends ServiceHandle> implements StartedTopology {
  endpoints: TopologyEndpoints = { lb: '', cdn: '', toxiproxy: '' };
  readonly serviceNames: string[] = [];
  readonly linkNames: string[];
  protected readonly services = new Map<string, S>();
  protected readonly proxies = new Map<string, ToxiproxyProxy>();
  private stopped = false;

  protected constructor(
    readonly composition: Composition,
    protected readonly log: Logger,
  ) {
    this.linkNames = linksOf(composition).map((l) => l.name);
  }

  get options(): Record<string, unknown> {
    return this.composition.options;
  }

  abstract versions(): Promise<Record<string, string>>;
  abstract lbServerStates(): Promise<ServerState[]>;
  /** Starts every service, in dependency order. */
  protected abstract startAll(): Promise<void>;
  /** Takes down everything the runtime started (its data is throwaway: no graceful shutdown owed). */
  protected abstract release(): Promise<void>;

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
    await this.release();
    this.log.info('topology stopped');
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.stop();
  }

  /** Starts everything; anything that fails to start stops everything already started. */
  protected async startOrStop(): Promise<this> {
    try {
      await this.startAll();
      return this;
    } catch (err) {
      await this.stop();
      throw err;
    }
  }

  protected add(service: S): S {
    this.services.set(service.name, service);
    this.serviceNames.push(service.name);
    this.log.info(`${service.name} ready`);
    return service;
  }
}
