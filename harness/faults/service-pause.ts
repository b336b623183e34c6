/** Freezes a service (SIGSTOP): its connections stay open, nothing answers. Heal: SIGCONT. */
import { z } from 'zod';
import { serviceAnswers } from '../runtime/answers.ts';
import { defineFault, type FaultContext } from './fault.ts';
import { frozen } from './probes.ts';
import { faultableService, isFaultable, LbWatch, restoreService } from './service-ready.ts';
import { shared } from './wait.ts';

/** How long a frozen service gets to answer its own protocol in verify (it never should). */
const SILENT_MS = 300;

export const servicePause = defineFault({
  kind: 'service-pause',
  description: 'freezes a service with SIGSTOP (connections hang); heal sends SIGCONT and waits until ready',
  params: z.object({ service: z.string().min(1) }).strict(),
  targets: ({ service }) => [{ param: 'service', service }],
  create: ({ service }) => {
    const id = `service-pause:${service}`;
    const watch = new LbWatch(id);
    return {
      kind: 'service-pause',
      id,
      async inject(ctx) {
        await faultableService(ctx, service).pause();
      },
      /** The runtime has it frozen (every process in state T, or the container paused), and it does not answer. */
      async verify(ctx) {
        const handle = ctx.topology.service(service);
        if ((await frozen(handle)) === false) return false;
        return !(await serviceAnswers(handle, SILENT_MS));
      },
      heal: shared(async (ctx: FaultContext) => {
        if (isFaultable(ctx, service)) await restoreService(ctx, service, watch);
      }),
    };
  },
});
