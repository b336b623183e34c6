/**
 * How a primary that a fault took away comes back, shared by the faults that do (primary-kill,
 * primary-partition): when no failover replaced it, as the primary (every replica streams from it
 * again); after the manual runbook, fenced (out of the write endpoint, not replicating: it only has
 * to answer); after Patroni, as a replica (Patroni rewinds it: it has to stream). Recorded as an
 * observation, so the report can say which.
 */
import { serviceAnswers } from '../runtime/answers.ts';
import { primaryNow } from '../runtime/topology.ts';
import type { FaultContext } from './fault.ts';
import { HEAL_TIMEOUT_MS, replicaStreaming, restoreService } from './service-ready.ts';
import { until } from './wait.ts';

export async function oldPrimaryReturn(ctx: FaultContext, node: string): Promise<void> {
  // A failover half done when the phase ends must not race the old primary's return.
  await ctx.topology.failover?.settled();
  if (primaryNow(ctx.topology) === node) return restoreService(ctx, node);
  const handle = ctx.topology.service(node);
  if (!handle.running) await handle.restart();
  const fenced = ctx.topology.failover?.fenced().includes(node) ?? false;
  const back = fenced ? () => serviceAnswers(handle) : () => replicaStreaming(ctx, node).catch(() => false);
  await until(back, {
    timeoutMs: HEAL_TIMEOUT_MS,
    intervalMs: 50,
    what: fenced ? `${node} to answer (fenced)` : `${node} to rejoin as a replica`,
    code: 'fault.heal',
  });
  ctx.events.record({
    kind: 'observation',
    source: 'pg.primary',
    detail: { node, returned: fenced ? 'fenced' : 'replica' },
  });
}
