/**
 * The shop topology on the local runtime: real PostgreSQL, Redis, HAProxy, Varnish and shop processes
 * on loopback, every link through the embedded Toxiproxy (in its own process). Start order follows
 * dependencies; anything that fails to start stops everything already started.
 */
import { Toxiproxy } from 'toxiproxy-node-client';
import { seedDatabase } from '../../../targets/shop/src/seed.ts';
import {
  links,
  type ShopTopology,
  type ShopTopologyInput,
  serviceNames,
  shopTopology,
  webConfig,
} from '../../../targets/shop/topology.ts';
import { type Logger, silentLogger } from '../../core/logger.ts';
import { type ServerState, serverStates } from '../haproxy-api.ts';
import { freePorts } from '../ports.ts';
import { BaseTopology, plannedTopology, together } from '../topology.ts';
import { guardExit } from './exit-guard.ts';
import { startHaproxy } from './haproxy.ts';
import type { LocalService } from './local-service.ts';
import { startNodeService, startToxiproxyProcess } from './node-process.ts';
import { startPrimary, startReplica, waitStreaming, withClient } from './postgres.ts';
import { checkPrerequisites, ensurePrerequisites } from './prerequisites.ts';
import { startRedis } from './redis.ts';
import { LocalSession } from './session.ts';
import { startVarnish } from './varnish.ts';

export interface LocalTopologyOptions {
  log?: Logger;
}

export class LocalTopology extends BaseTopology<LocalService> {
  private readonly ports = new Map<string, number>();
  private readonly unguard: () => void;

  private constructor(
    options: ShopTopology,
    private readonly session: LocalSession,
    log: Logger,
  ) {
    super(options, log);
    this.unguard = guardExit(() => session.close());
  }

  static async start(
    input: ShopTopologyInput = {},
    { log = silentLogger }: LocalTopologyOptions = {},
  ): Promise<LocalTopology> {
    const options = shopTopology(input);
    await ensurePrerequisites(log);
    return new LocalTopology(options, LocalSession.open(), log).startOrStop();
  }

  /** The versions of the binaries it runs (as faultline doctor reports them). */
  async versions(): Promise<Record<string, string>> {
    const checks = await checkPrerequisites();
    return Object.fromEntries(checks.filter((c) => c.ok).map((c) => [c.name, c.detail]));
  }

  lbServerStates(): Promise<ServerState[]> {
    return serverStates(this.lbSocket);
  }

  /** The process group of every running service (for measuring them as a whole). */
  processGroups(): number[] {
    return [...this.services.values()].flatMap((s) => (s.pid === undefined ? [] : [s.pid]));
  }

  /** Kills every process and removes all files. */
  protected async release(): Promise<void> {
    await Promise.all([...this.services.values()].map((s) => s.kill('SIGKILL')));
    this.session.close();
    this.unguard();
  }

  private port(name: string): number {
    return this.ports.get(name) as number;
  }

  protected async startAll(): Promise<void> {
    const { options, session } = this;
    const names = serviceNames(options);
    const linkSpecs = links(options);
    const all = plannedTopology(options).serviceNames;
    const ports = await freePorts(all.length + linkSpecs.length);
    for (const [i, name] of [...all, ...linkSpecs.map((l) => l.name)].entries())
      this.ports.set(name, ports[i] as number);

    this.add(await startToxiproxyProcess(session, this.port('toxiproxy')));
    const api = new Toxiproxy(`http://127.0.0.1:${this.port('toxiproxy')}`);
    const created = await api.populate(
      linkSpecs.map((l) => ({
        name: l.name,
        listen: `127.0.0.1:${this.port(l.name)}`,
        upstream: `127.0.0.1:${this.port(l.to)}`,
        enabled: true,
      })),
    );
    for (const [name, proxy] of Object.entries(created)) this.proxies.set(name, proxy);

    const dataTier = async () => {
      const primary = await startPrimary(session, names.primary, this.port(names.primary));
      this.add(primary.service);
      await withClient(primary.port, (client) => seedDatabase(client));
      await together(
        names.replicas.map(async (name) => {
          const replica = await startReplica(
            session,
            name,
            this.port(name),
            this.port(`${name}->${names.primary}`),
          );
          this.add(replica.service);
          await waitStreaming(primary.port, name, AbortSignal.timeout(10_000));
        }),
      );
    };
    const redisNodes = [...names.caches, ...(names.sessions ? [names.sessions] : [])];
    await together([
      dataTier(),
      ...redisNodes.map(async (name) => this.add(await startRedis(session, name, this.port(name)))),
    ]);

    await together(names.web.map(async (web) => this.add(await this.startWeb(web))));
    const lb = await startHaproxy(session, {
      port: this.port('lb'),
      servers: names.web.map((web) => ({ name: web, port: this.port(`lb->${web}`) })),
      healthCheck: options.healthCheck,
      sticky: options.sticky,
    });
    this.add(lb.service);
    this.lbSocket = lb.socket;
    this.add(
      await startVarnish(session, {
        port: this.port('cdn'),
        originPort: this.port('cdn->lb'),
        graceSeconds: options.cdn.graceSeconds,
      }),
    );
    this.endpoints = {
      lb: `http://127.0.0.1:${this.port('lb')}`,
      cdn: `http://127.0.0.1:${this.port('cdn')}`,
      toxiproxy: `http://127.0.0.1:${this.port('toxiproxy')}`,
    };
  }

  /** HAProxy's runtime API socket (show stat, disable server, ...). */
  lbSocket = '';

  private startWeb(web: string): Promise<LocalService> {
    const config = webConfig(this.options, web, { host: '127.0.0.1', port: this.port(web) }, (link) => ({
      host: '127.0.0.1',
      port: this.port(link),
    }));
    return startNodeService(this.session, {
      name: web,
      script: 'targets/shop/src/server.ts',
      env: { FAULTLINE_SHOP: JSON.stringify(config) },
      ports: { http: this.port(web) },
      readyLine: /listening on http:/,
    });
  }
}

export function startLocalTopology(
  input?: ShopTopologyInput,
  options?: LocalTopologyOptions,
): Promise<LocalTopology> {
  return LocalTopology.start(input, options);
}
