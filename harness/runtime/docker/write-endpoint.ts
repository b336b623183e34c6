/** The write endpoint on the docker runtime: HAProxy in TCP mode, its runtime API on a published port. */
import { postgresNodesOf } from '../../components/composition.ts';
import { writeEndpointConfig } from '../../components/write-endpoint.ts';
import { primaryRoutable } from '../haproxy-api.ts';
import type { Starter } from '../starters.ts';
import { PORT } from './containers.ts';
import type { DockerStart } from './docker-start.ts';
import { runHaproxy } from './haproxy.ts';

/** In front of every PostgreSQL node, each through its pg-write->node link; ready once the primary is UP in it. */
export const startWriteEndpoint: Starter<DockerStart> = (name, ctx) => ({
  async start(signal) {
    const c = ctx.composition;
    const config = writeEndpointConfig({
      bind: `:${PORT.postgres}`,
      statsSocket: `ipv4@0.0.0.0:${PORT.stats}`,
      nodes: postgresNodesOf(c).map((node) => {
        const { host, port } = ctx.reach(`${name}->${node}`);
        const rest = { host: ctx.containerName(node), port: PORT.rest };
        return { name: node, address: `${host}:${port}`, ...(c.dcs ? { rest } : {}) };
      }),
      routing: c.dcs ? 'patroni' : { primary: c.primary },
      checkIntervalMs: c.failover.probeIntervalMs,
    });
    const endpoint = await runHaproxy(ctx, name, config, { postgres: PORT.postgres, stats: PORT.stats });
    const api = { host: ctx.engineHost, port: endpoint.ports.stats as number };
    ctx.useWriteEndpointApi(api);
    await primaryRoutable(api, c.primary, AbortSignal.any([signal, AbortSignal.timeout(30_000)]));
  },
});
