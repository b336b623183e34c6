/**
 * Varnish as the CDN edge in front of the origin (the LB, through the cdn->lb proxy), ready once a
 * request through it reaches a healthy origin.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { varnishVcl } from '../../components/cdn-edge.ts';
import { FaultlineError } from '../../core/errors.ts';
import type { Starter } from '../starters.ts';
import { findBinary } from './binaries.ts';
import { LocalService } from './local-service.ts';
import type { LocalStart } from './local-start.ts';
import type { LocalSession } from './session.ts';
import { untilHealthy } from './until-healthy.ts';

export interface VarnishOptions {
  port: number;
  originPort: number;
  graceSeconds: number;
  healthPath: string;
  staticPrefix: string;
  invalidateToken: string;
}

export async function startVarnish(session: LocalSession, options: VarnishOptions): Promise<LocalService> {
  const command = findBinary('varnishd');
  if (!command)
    throw new FaultlineError('env.varnish', 'varnishd is not installed', 'apt-get install -y varnish');
  const workDir = session.path('varnish');
  mkdirSync(workDir, { recursive: true, mode: 0o755 });
  const vcl = session.path('default.vcl');
  writeFileSync(
    vcl,
    varnishVcl({
      originHost: '127.0.0.1',
      originPort: options.originPort,
      graceSeconds: options.graceSeconds,
      healthPath: options.healthPath,
      staticPrefix: options.staticPrefix,
      invalidateToken: options.invalidateToken,
    }),
  );
  const service = new LocalService(
    {
      name: 'cdn',
      command,
      // -F foreground, -T none: no management port to collide with other sessions.
      args: [
        '-F',
        '-n',
        workDir,
        '-a',
        `127.0.0.1:${options.port}`,
        '-f',
        vcl,
        '-s',
        'malloc,64m',
        '-T',
        'none',
      ],
      ports: { http: options.port },
      ready: (_, signal) => untilHealthy(`http://127.0.0.1:${options.port}${options.healthPath}`, signal),
    },
    session,
  );
  await service.start();
  return service;
}

/** In front of the LB, through the cdn->lb proxy. */
export const startCdnEdge: Starter<LocalStart> = (_name, ctx) => ({
  async start() {
    const c = ctx.composition;
    ctx.add(
      await startVarnish(ctx.session, {
        port: ctx.port('cdn'),
        originPort: ctx.port('cdn->lb'),
        graceSeconds: c.cdn.graceSeconds,
        healthPath: c.app.healthPath,
        staticPrefix: c.app.staticPrefix,
        invalidateToken: c.cdn.invalidateToken,
      }),
    );
    ctx.expose('cdn', `http://127.0.0.1:${ctx.port('cdn')}`);
  },
});
