/**
 * The primary dies (kill -9): whichever PostgreSQL node is the primary when the fault starts. Proven
 * when it is gone and nothing listens on its ports. Heal brings the node back, and records how it
 * returned: when no failover replaced it, as the primary (heal waits until every replica streams
 * from it); after the manual runbook, fenced (out of the write endpoint, not replicating: heal waits
 * until it answers); after Patroni, as a replica (Patroni rewinds it: heal waits until it streams).
 */
import { z } from 'zod';
import { serviceAnswers } from '../runtime/answers.ts';
import { primaryNow } from '../runtime/topology.ts';
import { defineFault, type FaultContext } from './fault.ts';
import { allPortsRefuse } from './probes.ts';
import { HEAL_TIMEOUT_MS, replicaStreaming, restoreService } from './service-ready.ts';
import { shared, until } from './wait.ts';

const KIND = 'primary-kill';

export const primaryKill = defineFault({
  kind: KIND,
  description:
    'kills the PostgreSQL primary (SIGKILL by default); heal starts it again, fenced when a failover replaced it',
  params: z.object({ signal: z.enum(['SIGKILL', 'SIGTERM']).default('SIGKILL') }).strict(),
  // It acts on whichever node is the primary when it starts; every topology has one.
  targets: () => [],
  create: ({ signal }) => {
    let killed: string | undefined;
    return {
      kind: KIND,
      id: `${KIND}:primary`,
      async inject(ctx) {
        killed = primaryNow(ctx.topology);
        const { exitedAt } = await ctx.topology.service(killed).kill(signal);
        ctx.events.record({
          kind: 'observation',
          source: 'pg.primary',
          detail: { node: killed, killed: true },
        });
        return { at: ctx.clock.now() - (Date.now() - exitedAt) };
      },
      async verify(ctx) {
        const handle = ctx.topology.service(killed as string);
        return !handle.running && (await allPortsRefuse(handle));
      },
      heal: shared(async (ctx: FaultContext) => {
        if (killed === undefined) return;
        const node = killed;
        // A failover half done when the phase ends must not race the old primary's return.
        await ctx.topology.failover?.settled();
        if (primaryNow(ctx.topology) === node) return restoreService(ctx, node);
        const handle = ctx.topology.service(node);
        if (!handle.running) await handle.restart();
        const fenced = ctx.topology.failover?.fenced().includes(node) ?? false;
        const back = fenced
          ? () => serviceAnswers(handle)
          : () => replicaStreaming(ctx, node).catch(() => false);
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
      }),
    };
  },
});
