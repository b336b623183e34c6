/**
 * The manual failover manager: the harness acting as an operator's runbook. It probes the primary
 * the way the operator's monitoring reaches it (its monitor->node link, so a partition that cuts the
 * primary off from the replicas' side cuts the monitoring off too); after N failed probes in a row
 * it waits the operator's delay, promotes the most advanced replica (`pg_promote()`), fences the old
 * primary at the write endpoint and moves it to the new one (HAProxy's runtime API), and repoints
 * every other replica at the new primary (`primary_conninfo` + reload).
 * Every step is an event for the run's log. The old primary is never taken back: it stays fenced.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type pg from 'pg';
import type { FailoverSpec } from '../../components/composition.ts';
import { WRITE_BACKEND } from '../../components/write-endpoint.ts';
import { sqlAnswers, sqlSession } from '../answers.ts';
import { type HaproxyApi, haproxyCommand, serverStates } from '../haproxy-api.ts';
import { WatchingManager } from './failover-view.ts';

export interface ManualFailoverDeps {
  spec: FailoverSpec;
  primary: string;
  replicas: readonly string[];
  /** Where the harness reaches a node's PostgreSQL port (to promote, repoint, compare replicas). */
  hostAddress(node: string): { host: string; port: number };
  /** Where the operator's monitoring reaches a node: its monitor->node link. */
  probeAddress(node: string): { host: string; port: number };
  /** Where `replica` reaches `node`: its replica->node link. */
  reach(replica: string, node: string): { host: string; port: number };
  /** The write endpoint's runtime API. */
  endpointApi: HaproxyApi;
}

/** A WAL position "16/B374D848" as a number, for comparing replicas. */
export function lsnValue(lsn: string | null): bigint {
  if (!lsn) return -1n;
  const [high, low] = lsn.split('/');
  return (BigInt(`0x${high}`) << 32n) + BigInt(`0x${low}`);
}

export class ManualFailover extends WatchingManager {
  private current: string;
  private readonly fencedNodes: string[] = [];
  private inFlight: Promise<unknown> = Promise.resolve();

  constructor(private readonly deps: ManualFailoverDeps) {
    super();
    this.current = deps.primary;
  }

  primary(): string {
    return this.current;
  }

  fenced(): readonly string[] {
    return this.fencedNodes;
  }

  async settled(): Promise<void> {
    await this.inFlight;
  }

  protected async watch(signal: AbortSignal): Promise<void> {
    const { probes, probeIntervalMs } = this.deps.spec;
    let failed = 0;
    while (!signal.aborted) {
      failed = (await this.answers(this.current, probeIntervalMs)) ? 0 : failed + 1;
      if (failed >= probes && !signal.aborted) {
        this.emit({ action: 'detected', node: this.current, detail: { failedProbes: failed } });
        const run = this.failover(signal).catch((err: Error) => {
          this.emit({ action: 'failed', node: this.current, detail: { reason: err.message } });
          return false;
        });
        this.inFlight = run;
        if (await run) failed = 0;
      }
      await sleep(probeIntervalMs, undefined, { signal }).catch(() => undefined);
    }
  }

  /** One probe, as an operator's monitoring does it: connect and SELECT 1 within the interval. */
  private answers(node: string, timeoutMs: number): Promise<boolean> {
    const { host, port } = this.deps.probeAddress(node);
    return sqlAnswers(host, port, timeoutMs);
  }

  private session<T>(node: string, timeoutMs: number, work: (c: pg.Client) => Promise<T>): Promise<T> {
    const { host, port } = this.deps.hostAddress(node);
    return sqlSession(host, port, timeoutMs, work);
  }

  /** The runbook; false when no replica could be promoted (it tries again on the next detection). */
  private async failover(signal: AbortSignal): Promise<boolean> {
    const old = this.current;
    await sleep(this.deps.spec.promoteDelayMs, undefined, { signal }).catch(() => undefined);
    if (signal.aborted) return false;
    const chosen = await this.mostAdvancedReplica(old);
    if (!chosen) {
      this.emit({ action: 'failed', node: old, detail: { reason: 'no replica answered' } });
      return false;
    }
    await this.session(chosen.node, 35_000, (c) => c.query('SELECT pg_promote(true, 30)'));
    this.current = chosen.node;
    this.fencedNodes.push(old);
    this.emit({ action: 'promoted', node: chosen.node, detail: { from: old, lsn: chosen.lsn } });
    await this.moveEndpoint(old, chosen.node, signal);
    await Promise.all(this.followers(chosen.node).map((replica) => this.repoint(replica, chosen.node)));
    return true;
  }

  private followers(primary: string): string[] {
    return this.deps.replicas.filter((r) => r !== primary && !this.fencedNodes.includes(r));
  }

  /** The replica that received the most WAL (ties: the first by name), among those that answer. */
  private async mostAdvancedReplica(old: string): Promise<{ node: string; lsn: string } | undefined> {
    const candidates = this.followers(old);
    const positions = await Promise.all(
      candidates.map((node) =>
        this.session(node, 2000, async (c) => {
          const { rows } = await c.query<{ lsn: string | null }>(
            'SELECT coalesce(pg_last_wal_receive_lsn(), pg_last_wal_replay_lsn())::text AS lsn',
          );
          return { node, lsn: rows[0]?.lsn ?? null };
        }).catch(() => undefined),
      ),
    );
    let best: { node: string; lsn: string } | undefined;
    for (const p of positions) {
      if (p?.lsn && (!best || lsnValue(p.lsn) > lsnValue(best.lsn))) best = { node: p.node, lsn: p.lsn };
    }
    return best;
  }

  /**
   * Fences the old primary and enables the new one in the write endpoint, until HAProxy routes to
   * it. Maintenance only stops new connections: an old primary that is still alive (cut off, not
   * dead) would keep committing on the ones writers hold open, so they are closed too.
   */
  private async moveEndpoint(old: string, next: string, signal: AbortSignal): Promise<void> {
    const api = this.deps.endpointApi;
    await haproxyCommand(api, `set server ${WRITE_BACKEND}/${old} state maint`);
    await haproxyCommand(api, `shutdown sessions server ${WRITE_BACKEND}/${old}`);
    await haproxyCommand(api, `set server ${WRITE_BACKEND}/${next} state ready`);
    const deadline = Date.now() + 10_000;
    while (!signal.aborted && Date.now() < deadline) {
      const states = await serverStates(api).catch(() => []);
      // "UP 1/2" routes too: out of maintenance a server is UP at once, its next check still to pass.
      if (states.some((s) => s.server === next && /^UP/.test(s.status))) {
        this.emit({ action: 'endpoint-switched', node: next, detail: { fenced: old } });
        return;
      }
      await sleep(25);
    }
    this.emit({ action: 'failed', node: next, detail: { reason: 'the write endpoint never had it UP' } });
  }

  private async repoint(replica: string, primary: string): Promise<void> {
    const { host, port } = this.deps.reach(replica, primary);
    const conninfo = `host=${host} port=${port} user=postgres application_name=${replica}`;
    await this.session(replica, 5000, async (c) => {
      await c.query(`ALTER SYSTEM SET primary_conninfo = '${conninfo}'`);
      await c.query('SELECT pg_reload_conf()');
    }).then(
      () => this.emit({ action: 'repointed', node: replica, detail: { to: primary } }),
      (err: Error) => this.emit({ action: 'failed', node: replica, detail: { reason: err.message } }),
    );
  }
}
