/**
 * The primary dies (kill -9): whichever PostgreSQL node is the primary when the fault starts. Proven
 * when it is gone and nothing listens on its ports. Heal brings the node back the way the failover
 * left it (old-primary-return.ts).
 */
import { z } from 'zod';
import { primaryNow } from '../runtime/topology.ts';
import { defineFault, type FaultContext } from './fault.ts';
import { oldPrimaryReturn } from './old-primary-return.ts';
import { allPortsRefuse } from './probes.ts';
import { shared } from './wait.ts';

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
        if (killed !== undefined) await oldPrimaryReturn(ctx, killed);
      }),
    };
  },
});
