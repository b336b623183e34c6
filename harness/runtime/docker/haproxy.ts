/** HAProxy as the load balancer on the docker runtime, its runtime API on a published TCP port. */
import { haproxyConfig } from '../../components/load-balancer.ts';
import { allServersUp } from '../haproxy-api.ts';
import type { Starter } from '../starters.ts';
import { PORT, starterWaits } from './containers.ts';
import type { DockerService } from './docker-service.ts';
import type { DockerStart } from './docker-start.ts';

/** HAProxy with `config`, in the image's own place for it; ready is the caller's to judge. */
export function runHaproxy(
  ctx: DockerStart,
  name: string,
  config: string,
  ports: Record<string, number>,
): Promise<DockerService> {
  return ctx.run(name, ctx.images.haproxy, ports, (container) =>
    container
      .withCopyContentToContainer([
        { content: config, target: '/usr/local/etc/haproxy/haproxy.cfg', mode: 0o644 },
      ])
      .withWaitStrategy(starterWaits()),
  );
}

/** In front of every web instance, each through its lb->web proxy; ready once every server passed its checks. */
export const startLoadBalancer: Starter<DockerStart> = (name, ctx) => ({
  async start(signal) {
    const c = ctx.composition;
    const config = haproxyConfig({
      bind: `:${PORT.http}`,
      statsSocket: `ipv4@0.0.0.0:${PORT.stats}`,
      servers: c.web.map((web) => {
        const { host, port } = ctx.reach(`lb->${web}`);
        return { name: web, address: `${host}:${port}` };
      }),
      healthCheck: c.lb.healthCheck,
      healthPath: c.app.healthPath,
      sticky: c.lb.sticky,
    });
    const lb = await runHaproxy(ctx, name, config, { http: PORT.http, stats: PORT.stats });
    const api = { host: ctx.engineHost, port: lb.ports.stats as number };
    ctx.useLbApi(api);
    await allServersUp(api, c.web.length, AbortSignal.any([signal, AbortSignal.timeout(30_000)]));
    ctx.expose('lb', `http://${ctx.engineHost}:${lb.ports.http}`);
  },
});
