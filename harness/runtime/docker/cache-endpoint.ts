/** A cache node's endpoint on the docker runtime (cacheFailover: sentinel): HAProxy routing to its master. */
import { cacheEndpointConfig, cachePairOf, cacheServersOf } from '../../components/cache-failover.ts';
import { routesToMasterAlone } from '../cache-failover-ready.ts';
import type { Starter } from '../starters.ts';
import { PORT } from './containers.ts';
import type { DockerStart } from './docker-start.ts';
import { runHaproxy } from './haproxy.ts';

/** Over the node's master and replica, each through its cache-K->server link; ready once it routes to the master alone. */
export const startCacheEndpoint: Starter<DockerStart> = (name, ctx) => ({
  async start(signal) {
    const config = cacheEndpointConfig({
      bind: `:${PORT.redis}`,
      statsSocket: `ipv4@0.0.0.0:${PORT.stats}`,
      servers: cacheServersOf(ctx.composition, name).map((server) => {
        const { host, port } = ctx.reach(`${name}->${server}`);
        return { name: server, address: `${host}:${port}` };
      }),
    });
    const endpoint = await runHaproxy(ctx, name, config, { redis: PORT.redis, stats: PORT.stats });
    const api = { host: ctx.engineHost, port: endpoint.ports.stats as number };
    await routesToMasterAlone(
      api,
      cachePairOf(name).master,
      AbortSignal.any([signal, AbortSignal.timeout(30_000)]),
    );
  },
});
