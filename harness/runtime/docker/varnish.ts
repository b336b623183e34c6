/** Varnish as the CDN edge on the docker runtime, in front of the LB through the cdn->lb proxy. */
import { varnishVcl } from '../../components/cdn-edge.ts';
import type { Starter } from '../starters.ts';
import { httpReady, PORT } from './containers.ts';
import type { DockerStart } from './docker-start.ts';

const VCL = '/etc/varnish/default.vcl';

export const startCdnEdge: Starter<DockerStart> = (name, ctx) => ({
  async start() {
    const c = ctx.composition;
    const origin = ctx.reach('cdn->lb');
    const vcl = varnishVcl({
      originHost: origin.host,
      originPort: origin.port,
      graceSeconds: c.cdn.graceSeconds,
      healthPath: c.app.healthPath,
      staticPrefix: c.app.staticPrefix,
      invalidateToken: c.cdn.invalidateToken,
    });
    const command = ['varnishd', '-F', '-f', VCL, '-a', `:${PORT.http}`, '-s', 'malloc,64m'];
    const cdn = await ctx.run(name, ctx.images.varnish, { http: PORT.http }, (container) =>
      container
        .withCopyContentToContainer([{ content: vcl, target: VCL, mode: 0o644 }])
        .withCommand(command)
        // Ready once a request through it reaches a healthy origin (its health path is never cached).
        .withWaitStrategy(httpReady(c.app.healthPath, PORT.http)),
    );
    ctx.expose('cdn', `http://${ctx.engineHost}:${cdn.ports.http}`);
  },
});
