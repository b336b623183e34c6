/**
 * Bringing a service back and waiting until the *system* has it back: it answers its own protocol,
 * HAProxy reports a web server UP again, a replica streams from the primary again (and after a
 * primary restart, every replica does). Shared by every fault that stops or freezes a process.
 */
import { usageError } from '../core/errors.ts';
import { serviceAnswers } from '../runtime/answers.ts';
import type { FaultContext } from './fault.ts';
import { lbStates, lbStatus, pgSession } from './probes.ts';
import { namesLike, targetProblem } from './targets.ts';
import { until } from './wait.ts';

export const HEAL_TIMEOUT_MS = 30_000;

/** Records HAProxy's view of servers in the event log whenever it changes (per fault). */
export class LbWatch {
  private readonly last = new Map<string, string>();

  constructor(private readonly faultId: string) {}

  async status(ctx: FaultContext, server: string): Promise<string | undefined> {
    const status = await lbStatus(ctx.topology, server);
    if (status !== undefined && this.last.get(server) !== status) {
      this.last.set(server, status);
      ctx.events.record({
        kind: 'observation',
        fault: this.faultId,
        source: 'haproxy.server',
        detail: { server, status },
      });
    }
    return status;
  }

  /** Waits until HAProxy reports `server` with a status matching `pattern` (e.g. /^UP$/). */
  async waitFor(ctx: FaultContext, server: string, pattern: RegExp, timeoutMs = HEAL_TIMEOUT_MS) {
    await until(async () => pattern.test((await this.status(ctx, server)) ?? ''), {
      timeoutMs,
      intervalMs: 50,
      what: `HAProxy to report ${server} ${pattern.source}`,
      code: 'fault.heal',
    });
  }
}

/** The replica's own WAL receiver streams (the primary's view may still list a dead sender). */
export async function replicaStreaming(ctx: FaultContext, replica: string): Promise<boolean> {
  const rows = await pgSession(ctx.topology.service(replica), async (c) => {
    const result = await c.query<{ status: string }>('SELECT status FROM pg_stat_wal_receiver');
    return result.rows;
  });
  return rows.some((r) => r.status === 'streaming');
}

/** Waits until `name` is back in service, as the system sees it (see the file comment). */
export async function waitServiceReady(ctx: FaultContext, name: string, watch?: LbWatch): Promise<void> {
  const handle = ctx.topology.service(name);
  const options = { timeoutMs: HEAL_TIMEOUT_MS, intervalMs: 50, code: 'fault.heal' };
  await until(() => serviceAnswers(handle), { ...options, what: `${name} to answer` });
  if (/^web-\d+$/.test(name) && (await lbStates(ctx.topology).catch(() => undefined))) {
    await (watch ?? new LbWatch(name)).waitFor(ctx, name, /^UP$/);
  }
  const replicas = ctx.topology.serviceNames.filter((s) => /^pg-replica-\d+$/.test(s));
  const streaming = name === 'pg-primary' ? replicas : replicas.includes(name) ? [name] : [];
  for (const replica of streaming) {
    // A replica retries its WAL connection every 5 s (wal_retrieve_retry_interval) after losing it.
    await until(() => replicaStreaming(ctx, replica), {
      ...options,
      intervalMs: 100,
      what: `${replica} to stream from pg-primary`,
    });
  }
}

/**
 * Undoes any process fault on `name`: resumes it (harmless when not paused), starts it again when it
 * is not running, then waits until it is really back. Idempotent.
 */
export async function restoreService(ctx: FaultContext, name: string, watch?: LbWatch): Promise<void> {
  const handle = ctx.topology.service(name);
  await handle.resume();
  if (!handle.running) await handle.restart();
  await waitServiceReady(ctx, name, watch);
}

/** The named service, checked against the topology; Toxiproxy itself is not a fault target. */
export function faultableService(ctx: FaultContext, name: string) {
  const target = { service: name };
  const problem = targetProblem(target, ctx.topology);
  if (problem) throw usageError('fault.service', problem, namesLike(target, ctx.topology));
  return ctx.topology.service(name);
}

/** Whether a heal has anything to act on (false when inject failed on a bad name). */
export function isFaultable(ctx: FaultContext, name: string): boolean {
  return name !== 'toxiproxy' && ctx.topology.serviceNames.includes(name);
}
