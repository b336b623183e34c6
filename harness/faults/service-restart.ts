/**
 * Restarts a service (graceful stop, start, ready) at once: the fault window then measures the
 * aftermath (cold caches, reconnects). Heal only makes sure it is running and back in service.
 */
import { z } from 'zod';
import { serviceAnswers } from '../runtime/answers.ts';
import { defineFault, type FaultContext } from './fault.ts';
import { pidOf } from './probes.ts';
import { faultableService, isFaultable, LbWatch, restoreService } from './service-ready.ts';
import { shared } from './wait.ts';

export const serviceRestart = defineFault({
  kind: 'service-restart',
  description: 'restarts a service (graceful stop, then start); verified when a new process answers',
  params: z.object({ service: z.string().min(1) }).strict(),
  targets: ({ service }) => [{ param: 'service', service }],
  create: ({ service }) => {
    const id = `service-restart:${service}`;
    const watch = new LbWatch(id);
    let before: number | undefined;
    return {
      kind: 'service-restart',
      id,
      async inject(ctx) {
        const handle = faultableService(ctx, service);
        before = pidOf(handle);
        await handle.restart();
      },
      /** A different process (new pid, where the runtime has pids) runs and answers its protocol. */
      async verify(ctx) {
        const handle = ctx.topology.service(service);
        const pid = pidOf(handle);
        if (!handle.running || (before !== undefined && (pid === undefined || pid === before))) return false;
        return serviceAnswers(handle);
      },
      heal: shared(async (ctx: FaultContext) => {
        if (isFaultable(ctx, service)) await restoreService(ctx, service, watch);
      }),
    };
  },
});
