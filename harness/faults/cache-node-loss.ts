/** A cache node dies (kill -9): its keys are gone, clients must fall back. Heal: start it, PING. */
import { z } from 'zod';
import { defineFault } from './fault.ts';
import { killFault } from './service-kill.ts';

export const cacheNodeLoss = defineFault({
  kind: 'cache-node-loss',
  description: 'kills a Redis cache node with SIGKILL; verified when its port refuses, healed when it PINGs',
  params: z
    .object({
      node: z
        .string()
        .regex(/^cache-\d+$/, { message: 'must name a cache node, like "cache-1"' })
        .default('cache-1'),
    })
    .strict(),
  targets: ({ node }) => [{ param: 'node', service: node }],
  create: ({ node }) => killFault('cache-node-loss', node, 'SIGKILL'),
});
