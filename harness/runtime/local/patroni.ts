/**
 * A PostgreSQL node run by Patroni on the local runtime. Patroni puts its postmaster in a session
 * of its own (setsid), out of the service's process group, so each node runs in a PID namespace of
 * its own (`unshare --pid --kill-child`): when the node is killed, or the harness dies and its
 * watchdog kills the group, the kernel takes Patroni and every PostgreSQL process with it.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PEERS, PEERS_API, portKeyOf } from '../../components/composition.ts';
import { FaultlineError } from '../../core/errors.ts';
import { patroniConfig } from '../patroni-config.ts';
import type { Starter } from '../starters.ts';
import { findBinary } from './binaries.ts';
import { LocalService } from './local-service.ts';
import type { LocalStart } from './local-start.ts';
import { findPostgres, waitStreaming } from './postgres.ts';
import { chownTo, type RunAs, serviceUser } from './run-as.ts';
import { untilHealthy } from './until-healthy.ts';

/** Debian's interpreter: Patroni's modules are installed for it (a pyenv python3 on PATH lacks them). */
const PYTHON = '/usr/bin/python3';

function required(binary: string, debianPackage: string): string {
  const path = findBinary(binary);
  if (!path) {
    throw new FaultlineError(
      `env.${binary}`,
      `${binary} is not installed`,
      `apt-get install -y ${debianPackage}`,
    );
  }
  return path;
}

/** As root the namespace is the kernel's to make, and Patroni runs as postgres; otherwise in a user namespace. */
function namespaced(user: RunAs | undefined): string[] {
  // Its own /proc too: Patroni finds its postmaster by the pid in postmaster.pid, a pid of the namespace.
  const own = ['--pid', '--fork', '--mount-proc', '--kill-child=SIGKILL'];
  return user
    ? [...own, '--setuid', `${user.uid}`, '--setgid', `${user.gid}`]
    : ['--map-current-user', ...own];
}

export const startPatroniNode: Starter<LocalStart> = (name, ctx) => {
  const c = ctx.composition;
  const leader = name === c.primary;
  // First in its role (the leader before any replica clones it); after a kill, whichever role
  // Patroni gives it back (an old leader rejoins as a replica): PostgreSQL running is ready.
  let started = false;
  const readyPath = () => {
    const path = started ? 'health' : leader ? 'primary' : 'replica';
    started = true;
    return path;
  };
  return {
    async start() {
      const patroni = required('patroni', 'patroni');
      const unshare = required('unshare', 'util-linux');
      const postgres = findPostgres();
      if (!postgres) {
        throw new FaultlineError(
          'env.postgres',
          'PostgreSQL server is not installed',
          'apt-get install -y postgresql',
        );
      }
      const user = serviceUser();
      const dir = ctx.session.path(name);
      mkdirSync(dir, { mode: 0o700 });
      chownTo(dir, user);
      // Allocated up front: its peers-api->node link forwards to it.
      const rest = ctx.port(portKeyOf(name, 'rest'));
      const pg = `127.0.0.1:${ctx.port(name)}`;
      const file = join(dir, 'patroni.yml');
      writeFileSync(
        file,
        patroniConfig(c, {
          scope: `faultline-${ctx.session.id}`,
          name,
          rest: { listen: `127.0.0.1:${rest}`, connect: `127.0.0.1:${ctx.port(`${PEERS_API}->${name}`)}` },
          // The other nodes stream from it and rewind against it through its peers->node link.
          postgres: { listen: pg, connect: `127.0.0.1:${ctx.port(`${PEERS}->${name}`)}` },
          etcd: `127.0.0.1:${ctx.port(`${name}->${c.dcs}`)}`,
          dataDir: join(dir, 'data'),
          binDir: postgres.bin,
          socketDir: dir,
          clients: '127.0.0.1/32',
        }),
      );
      chownTo(file, user);
      const service = new LocalService(
        {
          name,
          command: unshare,
          args: [...namespaced(user), PYTHON, patroni, file],
          ports: { postgres: ctx.port(name), rest },
          // The first leader runs initdb; a replica clones it: both take seconds, not milliseconds.
          readyTimeoutMs: 60_000,
          ready: (_, signal) => untilHealthy(`http://127.0.0.1:${rest}/${readyPath()}`, signal),
        },
        ctx.session,
      );
      await service.start();
      ctx.add(service);
    },
    ...(leader
      ? {}
      : {
          settle: (signal: AbortSignal) =>
            waitStreaming(ctx.port(c.primary), name, AbortSignal.any([signal, AbortSignal.timeout(30_000)])),
        }),
  };
};
