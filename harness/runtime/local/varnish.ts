/** Varnish as the CDN edge in front of the origin (the LB, through the cdn->lb proxy). */
import { mkdirSync, writeFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { varnishVcl } from '../../components/cdn-edge.ts';
import { FaultlineError } from '../../core/errors.ts';
import { findBinary } from './binaries.ts';
import { LocalService } from './local-service.ts';
import type { LocalSession } from './session.ts';

export interface VarnishOptions {
  port: number;
  originPort: number;
  graceSeconds: number;
  healthPath: string;
  staticPrefix: string;
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
      ready: async (_, signal) => {
        // Any HTTP answer means the edge is serving (the origin may still be warming up).
        while (!signal.aborted) {
          const answered = await fetch(`http://127.0.0.1:${options.port}/`, { signal }).then(
            (r) => r.arrayBuffer().then(() => true),
            () => false,
          );
          if (answered) return;
          await sleep(50, undefined, { signal }).catch(() => undefined);
        }
        throw new Error('the edge never answered HTTP');
      },
    },
    session,
  );
  await service.start();
  return service;
}
