/** A cache node dies (kill -9): its keys are gone, clients must fall back. Heal: start it, PING. */
import { z } from 'zod';
import { defineFault } from './fault.ts';
import { killFault } from './service-kill.ts';

/** The cache node a fault acts on, as cache-master-kill names it too. */
export const cacheNodeParams = z
  .object({
    node: z
      .string()
      .regex(/^cache-\d+$/, { message: 'must name a cache node, like "cache-1"' })
      .default('cache-1'),
  })
  .strict();

export const cacheNodeTargets = ({ node }: z.output<typeof cacheNodeParams>) => [
  { param: 'node', service: node },
];

export const cacheNodeLoss = defineFault({
  kind: 'cache-node-loss',
  description: 'kills a Redis cache node with SIGKILL; verified when its port refuses, healed when it PINGs',
  params: cacheNodeParams,
  targets: cacheNodeTargets,
  create: ({ node }) => killFault('cache-node-loss', node, 'SIGKILL'),
});
