/** etcd on the local runtime: the DCS Patroni keeps its leader key in, one member on loopback. */
import { mkdirSync } from 'node:fs';
import { FaultlineError } from '../../core/errors.ts';
import { etcdArgs } from '../patroni-config.ts';
import { freePorts } from '../ports.ts';
import type { Starter } from '../starters.ts';
import { findBinary } from './binaries.ts';
import { LocalService } from './local-service.ts';
import type { LocalStart } from './local-start.ts';
import { untilHealthy } from './until-healthy.ts';

export const startEtcd: Starter<LocalStart> = (name, ctx) => ({
  async start() {
    const command = findBinary('etcd');
    if (!command)
      throw new FaultlineError('env.etcd', 'etcd is not installed', 'apt-get install -y etcd-server');
    const dataDir = ctx.session.path(name);
    mkdirSync(dataDir, { mode: 0o700 });
    const client = `127.0.0.1:${ctx.port(name)}`;
    const [peer] = await freePorts(1);
    const service = new LocalService(
      {
        name,
        command,
        args: etcdArgs({
          dataDir,
          client,
          advertise: client,
          peerListen: `127.0.0.1:${peer}`,
          peer: `127.0.0.1:${peer}`,
        }),
        ports: { etcd: ctx.port(name) },
        ready: (_, signal) => untilHealthy(`http://${client}/health`, signal),
      },
      ctx.session,
    );
    await service.start();
    ctx.add(service);
  },
});
