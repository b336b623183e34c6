/**
 * The link proxies on the local runtime: the embedded Toxiproxy-compatible server in its own process
 * (so proxying never competes with the load generator), one proxy per link on a loopback port.
 */
import { Toxiproxy } from 'toxiproxy-node-client';
import { linksOf, portKeyOf } from '../../components/composition.ts';
import { PROJECT_ROOT } from '../../core/project-root.ts';
import type { Starter } from '../starters.ts';
import { LocalService } from './local-service.ts';
import type { LocalStart } from './local-start.ts';

export const startLinkProxies: Starter<LocalStart> = (name, ctx) => ({
  async start() {
    const port = ctx.port(name);
    const service = new LocalService(
      {
        name,
        command: process.execPath,
        args: ['--import', 'tsx', 'harness/toxiproxy/serve.ts', `${port}`],
        cwd: PROJECT_ROOT,
        env: process.env,
        ports: { api: port },
        ready: (s, signal) => s.log.waitFor(/listening on http:/, signal).then(() => undefined),
      },
      ctx.session,
    );
    await service.start();
    ctx.add(service);
    const api = new Toxiproxy(`http://127.0.0.1:${port}`);
    const created = await api.populate(
      linksOf(ctx.composition).map((l) => ({
        name: l.name,
        listen: `127.0.0.1:${ctx.port(l.name)}`,
        upstream: `127.0.0.1:${ctx.port(portKeyOf(l.to, l.port))}`,
        enabled: true,
      })),
    );
    for (const [link, proxy] of Object.entries(created)) ctx.proxies.set(link, proxy);
    ctx.expose('toxiproxy', `http://127.0.0.1:${port}`);
  },
});
