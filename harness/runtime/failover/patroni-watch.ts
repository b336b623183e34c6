/**
 * Following Patroni: Patroni moves the primary itself, so the harness only watches. It asks the
 * nodes' REST API (`GET /cluster`, from whichever node answers) who leads, every 100 ms, and reports
 * a new leader as promoted and, once the write endpoint routes to it, the endpoint as switched. An
 * old leader is never fenced: Patroni rewinds it and it rejoins as a replica.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { type HaproxyApi, serverStates } from '../haproxy-api.ts';
import { WatchingManager } from './failover-view.ts';

const EVERY_MS = 100;

export interface PatroniWatchDeps {
  primary: string;
  nodes: readonly string[];
  /** Where the harness reaches a node's REST API. */
  restAddress(node: string): { host: string; port: number };
  endpointApi: HaproxyApi;
}

interface ClusterMember {
  name: string;
  role: string;
  state?: string;
}

export class PatroniWatch extends WatchingManager {
  private leader: string;
  /** The leader the write endpoint has yet to route to, after a change. */
  private switching: string | undefined;

  constructor(private readonly deps: PatroniWatchDeps) {
    super();
    this.leader = deps.primary;
  }

  primary(): string {
    return this.leader;
  }

  fenced(): readonly string[] {
    return [];
  }

  /** Patroni's own election is never "under way" for the harness to wait on. */
  async settled(): Promise<void> {}

  protected async watch(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      const members = await this.cluster();
      const leader = members?.find((m) => m.role === 'leader' && m.state === 'running')?.name;
      if (leader && leader !== this.leader) {
        this.emit({ action: 'promoted', node: leader, detail: { from: this.leader } });
        this.leader = leader;
        this.switching = leader;
      }
      if (this.switching) await this.checkEndpoint(this.switching);
      await sleep(EVERY_MS, undefined, { signal }).catch(() => undefined);
    }
  }

  /** The cluster as the first node that answers sees it (the dead one does not). */
  private async cluster(): Promise<ClusterMember[] | undefined> {
    for (const node of this.deps.nodes) {
      const { host, port } = this.deps.restAddress(node);
      const members = await fetch(`http://${host}:${port}/cluster`, { signal: AbortSignal.timeout(300) })
        .then((r) => (r.ok ? (r.json() as Promise<{ members?: ClusterMember[] }>) : undefined))
        .catch(() => undefined);
      if (members?.members) return members.members;
    }
    return undefined;
  }

  private async checkEndpoint(leader: string): Promise<void> {
    const states = await serverStates(this.deps.endpointApi).catch(() => []);
    if (!states.some((s) => s.server === leader && /^UP/.test(s.status))) return;
    this.switching = undefined;
    this.emit({ action: 'endpoint-switched', node: leader });
  }
}
