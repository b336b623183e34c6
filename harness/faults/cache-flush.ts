/**
 * The cache is flushed at full load (an operator's FLUSHALL, a failed-over node that comes back
 * empty): every key of every cache node is gone at once and the web tier refills them. Proven when
 * a node holds fewer keys than it did just before (load refills it at once, so never "none");
 * nothing to heal, the cache refills itself, but heal waits until every node answers PING.
 */
import { z } from 'zod';
import { redisPing } from '../runtime/answers.ts';
import { defineFault, type FaultContext } from './fault.ts';
import { onRedisNode } from './redis-node.ts';
import { HEAL_TIMEOUT_MS } from './service-ready.ts';
import { until } from './wait.ts';

const cacheNode = z.string().regex(/^cache-\d+$/, { message: 'must name a cache node, like "cache-1"' });

/** Every cache node of the topology, or the ones named. */
const nodesOf = (ctx: FaultContext, named: readonly string[] | undefined) =>
  named ?? ctx.topology.serviceNames.filter((n) => /^cache-\d+$/.test(n));

export const cacheFlush = defineFault({
  kind: 'cache-flush',
  description: 'flushes every key of the cache nodes at once (FLUSHALL); the web tier refills them',
  params: z
    .object({
      nodes: z.array(cacheNode).min(1).optional().describe('the cache nodes to flush (default: every one)'),
    })
    .strict(),
  // Flushing "every node" needs one: cache-1 exists whenever the topology has a cache.
  targets: ({ nodes }) =>
    nodes
      ? nodes.map((node, i) => ({ param: `nodes.${i}`, service: node }))
      : [{ param: 'nodes', service: 'cache-1' }],
  create: ({ nodes }) => {
    const before = new Map<string, number>();
    return {
      kind: 'cache-flush',
      id: `cache-flush:${nodes?.join(',') ?? 'cache'}`,
      async inject(ctx) {
        const names = nodesOf(ctx, nodes);
        await Promise.all(
          names.map(async (node) => {
            const keys = await onRedisNode(ctx.topology.service(node), async (c) => {
              const size = await c.dbSize();
              await c.flushAll();
              return size;
            });
            before.set(node, keys);
            ctx.events.record({
              kind: 'observation',
              source: 'cache.flush',
              detail: { node, keysBefore: keys },
            });
          }),
        );
      },
      async verify(ctx) {
        const sizes = await Promise.all(
          [...before].map(
            async ([node, keys]) =>
              keys === 0 || (await onRedisNode(ctx.topology.service(node), (c) => c.dbSize())) < keys,
          ),
        );
        return sizes.every(Boolean);
      },
      async heal(ctx) {
        for (const node of nodesOf(ctx, nodes)) {
          const handle = ctx.topology.service(node);
          await until(() => redisPing(handle.host, handle.ports.redis as number), {
            timeoutMs: HEAL_TIMEOUT_MS,
            intervalMs: 200,
            what: `${node} to answer PING`,
            code: 'fault.heal',
          });
        }
      },
    };
  },
});
