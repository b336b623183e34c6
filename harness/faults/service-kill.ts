/** Kills a service's processes with a signal; heal starts it again and waits until it is back. */
import { z } from 'zod';
import type { KillSignal } from '../runtime/service.ts';
import { defineFault, type Fault, type FaultContext } from './fault.ts';
import { allPortsRefuse } from './probes.ts';
import { faultableService, isFaultable, LbWatch, restoreService } from './service-ready.ts';
import { shared } from './wait.ts';

/** Kill now, start again at heal: shared with lb-backend-death (which also proves HAProxy saw it). */
export function killFault(
  kind: string,
  service: string,
  signal: KillSignal,
  proof?: (ctx: FaultContext, watch: LbWatch) => Promise<boolean>,
): Fault {
  const id = `${kind}:${service}`;
  const watch = new LbWatch(id);
  return {
    kind,
    id,
    async inject(ctx) {
      const { exitedAt } = await faultableService(ctx, service).kill(signal);
      return { at: ctx.clock.now() - (Date.now() - exitedAt) };
    },
    /** The runtime saw it exit, nothing listens on its ports any more (and `proof`, if given). */
    async verify(ctx) {
      const handle = ctx.topology.service(service);
      if (handle.running || !(await allPortsRefuse(handle))) return false;
      return proof ? proof(ctx, watch) : true;
    },
    heal: shared(async (ctx: FaultContext) => {
      if (isFaultable(ctx, service)) await restoreService(ctx, service, watch);
    }),
  };
}

export const serviceKill = defineFault({
  kind: 'service-kill',
  description: 'kills a service (SIGKILL by default, or SIGTERM); heal starts it again and waits until ready',
  params: z
    .object({
      service: z.string().min(1),
      signal: z.enum(['SIGKILL', 'SIGTERM']).default('SIGKILL'),
    })
    .strict(),
  targets: ({ service }) => [{ param: 'service', service }],
  create: ({ service, signal }) => killFault('service-kill', service, signal),
});
