/**
 * A target's topology on the local runtime: real PostgreSQL, Redis, HAProxy, Varnish and web-app
 * processes on loopback, every link through the embedded Toxiproxy (in its own process). Start order follows
 * dependencies; anything that fails to start stops everything already started.
 */
import { Toxiproxy } from 'toxiproxy-node-client';
import { type Composition, linksOf } from '../../components/composition.ts';
import { contractEnv, type LocalApp } from '../../components/web-app.ts';
import { type Logger, silentLogger } from '../../core/logger.ts';
import { applyAppSchema } from '../app-schema.ts';
import { type ServerState, serverStates } from '../haproxy-api.ts';
import { freePorts } from '../ports.ts';
import { BaseTopology, plannedTopology, together } from '../topology.ts';
import { guardExit } from './exit-guard.ts';
import { startHaproxy } from './haproxy.ts';
import type { LocalService } from './local-service.ts';
import { startToxiproxyProcess } from './node-process.ts';
import { startPrimary, startReplica, waitStreaming } from './postgres.ts';
import { checkPrerequisites, ensureChecks, ensurePrerequisites } from './prerequisites.ts';
import { startRedis } from './redis.ts';
import { LocalSession } from './session.ts';
import { startVarnish } from './varnish.ts';
import { checkLocalApp, localAppOf, startWebInstance } from './web-app.ts';

export interface LocalTopologyOptions {
  log?: Logger;
}

export class LocalTopology extends BaseTopology<LocalService> {
  private readonly ports = new Map<string, number>();
  private readonly unguard: () => void;

  private constructor(
    composition: Composition,
    private readonly session: LocalSession,
    log: Logger,
  ) {
    super(composition, log);
    this.unguard = guardExit(() => session.close());
  }

  static async start(
    composition: Composition,
    { log = silentLogger }: LocalTopologyOptions = {},
  ): Promise<LocalTopology> {
    const app = localAppOf(composition);
    await ensurePrerequisites(log);
    await ensureAppPrerequisites(app, log);
    checkLocalApp(app);
    return new LocalTopology(composition, LocalSession.open(), log).startOrStop();
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
    const { composition: c, session } = this;
    const linkSpecs = linksOf(c);
    const all = plannedTopology(c).serviceNames;
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
      const primary = await startPrimary(session, c.primary, this.port(c.primary));
      this.add(primary.service);
      await applyAppSchema(primary.port, c.app.schema);
      await together(
        c.replicas.map(async (name) => {
          const replica = await startReplica(
            session,
            name,
            this.port(name),
            this.port(`${name}->${c.primary}`),
          );
          this.add(replica.service);
          await waitStreaming(primary.port, name, AbortSignal.timeout(10_000));
        }),
      );
    };
    const redisNodes = [...c.caches, ...(c.sessions ? [c.sessions] : [])];
    await together([
      dataTier(),
      ...redisNodes.map(async (name) => this.add(await startRedis(session, name, this.port(name)))),
    ]);

    await together(c.web.map(async (web) => this.add(await this.startWeb(web))));
    const lb = await startHaproxy(session, {
      port: this.port('lb'),
      servers: c.web.map((web) => ({ name: web, port: this.port(`lb->${web}`) })),
      healthCheck: c.lb.healthCheck,
      healthPath: c.app.healthPath,
      sticky: c.lb.sticky,
    });
    this.add(lb.service);
    this.lbSocket = lb.socket;
    this.add(
      await startVarnish(session, {
        port: this.port('cdn'),
        originPort: this.port('cdn->lb'),
        graceSeconds: c.cdn.graceSeconds,
        healthPath: c.app.healthPath,
        staticPrefix: c.app.staticPrefix,
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
    const { app } = this.composition;
    const loopback = (port: number) => ({ host: '127.0.0.1', port });
    return startWebInstance(this.session, {
      name: web,
      app: localAppOf(this.composition),
      port: this.port(web),
      contract: contractEnv(this.composition, web, loopback(this.port(web)), (link) =>
        loopback(this.port(link)),
      ),
      healthPath: app.healthPath,
      startTimeoutMs: app.startTimeoutMs,
    });
  }
}

/** What the app needs from the OS (python3-psycopg2, say), installed the way the services are. */
async function ensureAppPrerequisites(app: LocalApp, log: Logger): Promise<void> {
  const needs = app.prerequisites ?? [];
  if (!needs.length) return;
  await ensureChecks(
    async () =>
      Promise.all(
        needs.map(async (n) => {
          const ok = await n.present();
          return {
            name: n.name,
            ok,
            detail: ok ? 'present' : 'missing',
            debianPackage: n.debianPackage,
            fix: `apt-get install -y ${n.debianPackage}`,
          };
        }),
      ),
    log,
  );
}

export function startLocalTopology(
  composition: Composition,
  options?: LocalTopologyOptions,
): Promise<LocalTopology> {
  return LocalTopology.start(composition, options);
}
