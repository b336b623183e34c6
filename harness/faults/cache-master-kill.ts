/**
 * A cache node's master dies (kill -9) on a cache that fails over (topology cacheFailover:
 * sentinel): whichever of the node's two Redis servers is the master when the fault starts.
 * Observed as `cache.failover` {node, killed, keysBefore, replicaKeysBefore} just before the kill
 * (keys the replica did not have yet are writes to the cache a promotion loses) and `cache.promoted`
 * {node, promoted, keys} once the Sentinels made the replica the master. Proven then; healed when
 * the killed server runs again. It comes back as an empty master, as a restarted Redis does, and
 * the Sentinels make it the new master's replica only some 8 to 15 s later (they first watch it
 * stay up): until then the endpoint may route to it too, which the recovery phase shows. Without
 * Sentinel, cache-node-loss is the fault that kills a cache node.
 */
import { cacheServersOf } from '../components/cache-failover.ts';
import { redisPing } from '../runtime/answers.ts';
import { cacheNodeParams, cacheNodeTargets } from './cache-node-loss.ts';
import { defineFault, type FaultContext } from './fault.ts';
import { onRedisNode, replicationOf } from './redis-node.ts';
import { HEAL_TIMEOUT_MS } from './service-ready.ts';
import { shared, until } from './wait.ts';

const KIND = 'cache-master-kill';

export const cacheMasterKill = defineFault({
  kind: KIND,
  description:
    'kills the master of a cache node that fails over (Sentinel promotes its replica); heal starts it again, and the Sentinels make it a replica',
  params: cacheNodeParams,
  targets: cacheNodeTargets,
  needs: (_params, c) =>
    c.cacheFailover
      ? undefined
      : 'cache-master-kill needs a cache that fails over: give the topology cacheFailover: { manager: "sentinel" } (or use cache-node-loss)',
  create: ({ node }) => {
    let killed: string | undefined;
    let promoted: string | undefined;
    let observed = false;
    const dbSize = (ctx: FaultContext, server: string) =>
      onRedisNode(ctx.topology.service(server), (c) => c.dbSize());
    return {
      kind: KIND,
      id: `${KIND}:${node}`,
      async inject(ctx) {
        const servers = cacheServersOf(ctx.topology.composition, node);
        const roles = await Promise.all(servers.map((s) => replicationOf(ctx.topology.service(s))));
        const master = servers[roles.findIndex((r) => r.role === 'master')];
        if (master === undefined) throw new Error(`${node}: none of ${servers.join(', ')} is a master`);
        killed = master;
        promoted = servers.find((s) => s !== master);
        const [keysBefore, replicaKeysBefore] = await Promise.all([
          dbSize(ctx, master),
          promoted ? dbSize(ctx, promoted) : Promise.resolve(0),
        ]);
        const { exitedAt } = await ctx.topology.service(master).kill('SIGKILL');
        ctx.events.record({
          kind: 'observation',
          source: 'cache.failover',
          detail: { node, killed: master, keysBefore, replicaKeysBefore },
        });
        return { at: ctx.clock.now() - (Date.now() - exitedAt) };
      },
      async verify(ctx) {
        if (!promoted) return false;
        const now = await replicationOf(ctx.topology.service(promoted)).catch(() => undefined);
        if (now?.role !== 'master') return false;
        if (!observed) {
          observed = true;
          ctx.events.record({
            kind: 'observation',
            source: 'cache.promoted',
            detail: { node, promoted, keys: await dbSize(ctx, promoted) },
          });
        }
        return true;
      },
      heal: shared(async (ctx: FaultContext) => {
        if (killed === undefined) return;
        const handle = ctx.topology.service(killed);
        if (!handle.running) await handle.restart();
        await until(() => redisPing(handle.host, handle.ports.redis as number), {
          timeoutMs: HEAL_TIMEOUT_MS,
          intervalMs: 100,
          what: `${killed} to answer PING`,
          code: 'fault.heal',
        });
      }),
    };
  },
});
