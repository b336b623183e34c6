/**
 * A web server dies behind the load balancer. Proven when HAProxy's own health checks mark it DOWN;
 * healed when it runs again and HAProxy reports it UP. Every state HAProxy reports for it on the way
 * is recorded as an observation (source "haproxy.server").
 */
import { z } from 'zod';
import { defineFault } from './fault.ts';
import { killFault } from './service-kill.ts';

export const backendDeathParams = z
  .object({
    server: z
      .string()
      .regex(/^web-\d+$/, { message: 'must name a web server, like "web-2"' })
      .default('web-2'),
    signal: z.enum(['SIGKILL', 'SIGTERM']).default('SIGKILL'),
  })
  .strict();

export const backendDeathTargets = ({ server }: z.output<typeof backendDeathParams>) => [
  { param: 'server', service: server },
];

export function backendDeath(kind: string, server: string, signal: 'SIGKILL' | 'SIGTERM') {
  return killFault(kind, server, signal, async (ctx, watch) =>
    /^DOWN/.test((await watch.status(ctx, server)) ?? ''),
  );
}

export const lbBackendDeath = defineFault({
  kind: 'lb-backend-death',
  description: 'kills a web server behind HAProxy; verified when HAProxy marks it DOWN, healed when UP again',
  params: backendDeathParams,
  targets: backendDeathTargets,
  create: ({ server, signal }) => backendDeath('lb-backend-death', server, signal),
});
