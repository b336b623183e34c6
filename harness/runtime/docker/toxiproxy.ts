/** The link proxies on the docker runtime: the Toxiproxy container, one proxy per link on its own port in it. */
import { Toxiproxy } from 'toxiproxy-node-client';
import { harnessLinksOf, linksOf } from '../../components/composition.ts';
import type { Starter } from '../starters.ts';
import { httpReady, internalPort, PORT } from './containers.ts';
import type { DockerStart } from './docker-start.ts';

export const startLinkProxies: Starter<DockerStart> = (name, ctx) => ({
  async start() {
    // The links the harness connects through (the runbook's probes) are published beside the API.
    const published = harnessLinksOf(ctx.composition).map((l) => [l.name, ctx.reach(l.name).port]);
    const ports = { api: PORT.toxiproxy, ...Object.fromEntries(published) };
    const toxiproxy = await ctx.run(name, ctx.images.toxiproxy, ports, (c) =>
      c.withWaitStrategy(httpReady('/version', PORT.toxiproxy)),
    );
    const url = `http://${ctx.engineHost}:${toxiproxy.ports.api}`;
    const created = await new Toxiproxy(url).populate(
      linksOf(ctx.composition).map((l) => ({
        name: l.name,
        listen: `0.0.0.0:${ctx.reach(l.name).port}`,
        upstream: `${ctx.containerName(l.to)}:${l.port === 'rest' ? PORT.rest : internalPort(l.to)}`,
        enabled: true,
      })),
    );
    for (const [link, proxy] of Object.entries(created)) ctx.proxies.set(link, proxy);
    ctx.expose('toxiproxy', url);
  },
});
