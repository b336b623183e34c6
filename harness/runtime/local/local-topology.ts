/**
 * A target's topology on the local runtime: real PostgreSQL, Redis, HAProxy, Varnish and web-app
 * processes on loopback, every link through the embedded Toxiproxy (in its own process). Each service
 * starts as soon as what it waits for is ready (components/start-plan.ts); anything that fails to
 * start stops everything already started.
 */
import { type Composition, linksOf, portKeyOf } from '../../components/composition.ts';
import type { LocalApp } from '../../components/web-app.ts';
import { type Logger, silentLogger } from '../../core/logger.ts';
import { freePorts } from '../ports.ts';
import { BaseTopology, plannedTopology } from '../topology.ts';
import { guardExit } from './exit-guard.ts';
import type { LocalService } from './local-service.ts';
import { type LocalStart, localStarters } from './local-start.ts';
import {
  checkPrerequisites,
  ensureChecks,
  ensurePrerequisites,
  patroniPrerequisites,
} from './prerequisites.ts';
import { LocalSession } from './session.ts';
import { localStaticFiles } from './static-files.ts';
import { checkLocalApp, localAppOf } from './web-app.ts';

export interface LocalTopologyOptions {
  log?: Logger;
}

export class LocalTopology extends BaseTopology<LocalService, LocalStart> {
  private readonly unguard: () => void;

  private constructor(
    composition: Composition,
    private readonly app: LocalApp,
    private readonly ports: ReadonlyMap<string, number>,
    private readonly session: LocalSession,
    log: Logger,
  ) {
    super(composition, log);
    this.unguard = guardExit(() => session.close());
    if (composition.app.staticDir) this.staticFiles = localStaticFiles(session, composition.app.staticDir);
  }

  static async start(
    composition: Composition,
    { log = silentLogger }: LocalTopologyOptions = {},
  ): Promise<LocalTopology> {
    const app = await localAppOf(composition);
    await ensurePrerequisites(log);
    if (composition.dcs) await ensureChecks(patroniPrerequisites, log);
    await ensureAppPrerequisites(app, log);
    checkLocalApp(app);
    // Every port up front: a link's proxy listens before the service behind it has started.
    // A link to a service's other port ("pg-replica-1:rest") needs that port up front too.
    const links = linksOf(composition);
    const names = [
      ...plannedTopology(composition).serviceNames,
      ...links.map((l) => l.name),
      ...links.flatMap((l) => (l.port ? [portKeyOf(l.to, l.port)] : [])),
    ];
    const free = await freePorts(names.length);
    const ports = new Map(names.map((name, i) => [name, free[i] as number]));
    return new LocalTopology(composition, app, ports, LocalSession.open(), log).startOrStop();
  }

  /** The versions of the binaries it runs (as faultline doctor reports them). */
  async versions(): Promise<Record<string, string>> {
    const checks = [
      ...(await checkPrerequisites()),
      ...(this.composition.dcs ? await patroniPrerequisites() : []),
    ];
    return Object.fromEntries(checks.filter((c) => c.ok).map((c) => [c.name, c.detail]));
  }

  /** The process group of every running service (for measuring them as a whole). */
  processGroups(): number[] {
    return [...this.services.values()].flatMap((s) => (s.pid === undefined ? [] : [s.pid]));
  }

  /** HAProxy's runtime API socket (show stat, disable server, ...). */
  get lbSocket(): string {
    return this.lbApi as string;
  }

  /** Kills every process and removes all files. */
  protected async release(): Promise<void> {
    await Promise.all([...this.services.values()].map((s) => s.kill('SIGKILL')));
    this.session.close();
    this.unguard();
  }

  protected starters() {
    const reach = (link: string) => ({ host: '127.0.0.1', port: this.ports.get(link) as number });
    const context: LocalStart = {
      ...this.sharedContext(),
      session: this.session,
      app: this.app,
      port: (name) => this.ports.get(name) as number,
      hostPort: (name) => this.ports.get(name) as number,
      reach,
      // On loopback the harness reaches a link where services do.
      harnessReach: reach,
    };
    return { starters: localStarters, context };
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
