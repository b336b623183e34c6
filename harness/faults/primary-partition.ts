/**
 * A network partition around the primary: whichever PostgreSQL node is the primary when the fault
 * starts is cut off from the rest of the database tier (the other nodes both ways, its peers, the
 * operator's monitoring and the DCS: composition.ts's partitionLinksOf), while its clients' path
 * (pg-write->node) stays up. Unlike a crash, the old primary keeps running and may keep acknowledging
 * writes that no replica receives: what a failover then does with them is what the run measures.
 * Proven when every cut link is down and the node still runs. Heal brings the links back, then
 * waits until the node is back the way the failover left it (old-primary-return.ts).
 */
import { z } from 'zod';
import { partitionLinksOf } from '../components/composition.ts';
import { primaryNow } from '../runtime/topology.ts';
import { defineFault, type FaultContext } from './fault.ts';
import { linkIsDown, linkUp } from './link-down.ts';
import { oldPrimaryReturn } from './old-primary-return.ts';
import { linkProxy, setEnabled } from './toxics.ts';
import { allSettledOrThrow, shared } from './wait.ts';

const KIND = 'primary-partition';

export const primaryPartition = defineFault({
  kind: KIND,
  description:
    'cuts the PostgreSQL primary off from the replicas, the DCS and the monitoring (its clients still reach it); heal reconnects it',
  params: z.object({}).strict(),
  // It acts on whichever node is the primary when it starts; every topology has one.
  targets: () => [],
  create: () => {
    let cut: { node: string; links: string[] } | undefined;
    return {
      kind: KIND,
      id: `${KIND}:primary`,
      async inject(ctx) {
        const node = primaryNow(ctx.topology);
        const links = partitionLinksOf(ctx.topology.composition, node).map((l) => l.name);
        cut = { node, links };
        await Promise.all(links.map((link) => setEnabled(linkProxy(ctx.topology, link), false)));
        ctx.events.record({
          kind: 'observation',
          source: 'pg.primary',
          detail: { node, partitioned: true, links: links.join(', ') },
        });
      },
      async verify(ctx) {
        if (!cut) return false;
        const { node, links } = cut;
        const down = await Promise.all(links.map((link) => linkIsDown(ctx, link)));
        return down.every(Boolean) && ctx.topology.service(node).running;
      },
      heal: shared(async (ctx: FaultContext) => {
        if (!cut) return;
        const { node, links } = cut;
        await allSettledOrThrow(links.map((link) => linkUp(ctx, link)));
        await oldPrimaryReturn(ctx, node);
      }),
    };
  },
});
