/**
 * A PostgreSQL node run by Patroni on the docker runtime: Patroni is the container's first process
 * (it reaps its postmaster's children itself), so killing the container takes every process of the
 * node with it, and starting it again gives Patroni back its data to rejoin with.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { PEERS, PEERS_API } from '../../components/composition.ts';
import { FaultlineError } from '../../core/errors.ts';
import { waitStreaming } from '../local/postgres.ts';
import { patroniConfig } from '../patroni-config.ts';
import type { Starter } from '../starters.ts';
import { PORT, starterWaits } from './containers.ts';
import type { DockerStart } from './docker-start.ts';

const CONFIG = '/etc/patroni/patroni.yml';

async function untilOk(url: string, signal: AbortSignal): Promise<void> {
  while (!signal.aborted) {
    const ok = await fetch(url, { signal: AbortSignal.any([signal, AbortSignal.timeout(1000)]) }).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await sleep(100, undefined, { signal }).catch(() => undefined);
  }
  throw new Error(`GET ${url} never answered 2xx`);
}

export const startPatroniNode: Starter<DockerStart> = (name, ctx) => {
  const c = ctx.composition;
  const leader = name === c.primary;
  return {
    async start(signal) {
      const { host, port } = ctx.reach(`${name}->${c.dcs}`);
      // The other nodes reach it through its peers->node and peers-api->node links.
      const peers = ctx.reach(`${PEERS}->${name}`);
      const peersApi = ctx.reach(`${PEERS_API}->${name}`);
      const config = patroniConfig(c, {
        scope: `faultline-${ctx.sessionId}`,
        name,
        rest: { listen: `0.0.0.0:${PORT.rest}`, connect: `${peersApi.host}:${peersApi.port}` },
        postgres: { listen: `0.0.0.0:${PORT.postgres}`, connect: `${peers.host}:${peers.port}` },
        etcd: `${host}:${port}`,
        dataDir: '/var/lib/postgresql/patroni',
        binDir: '/usr/lib/postgresql/15/bin',
        socketDir: '/var/run/postgresql',
        clients: '0.0.0.0/0',
      });
      const node = await ctx.run(
        name,
        ctx.patroniImage,
        { postgres: PORT.postgres, rest: PORT.rest },
        (container) =>
          container
            .withCopyContentToContainer([{ content: config, target: CONFIG, mode: 0o644 }])
            .withUser('postgres')
            .withEntrypoint(['patroni', CONFIG])
            .withWaitStrategy(starterWaits()),
      );
      // The first leader runs initdb and a replica clones it: ready in its role, seconds later.
      const rest = `http://${ctx.engineHost}:${node.ports.rest}/${leader ? 'primary' : 'replica'}`;
      await untilOk(rest, AbortSignal.any([signal, AbortSignal.timeout(60_000)])).catch(
        async (err: Error) => {
          const lines: string[] = [];
          for await (const line of node.logs()) lines.push(line);
          throw new FaultlineError(
            'service.start',
            `${name} never became the ${leader ? 'leader' : 'replica'} Patroni makes it: ${err.message}; its last log lines: ${lines.slice(-3).join(' | ')}`,
            `see its log: docker logs ${ctx.containerName(name)}`,
          );
        },
      );
    },
    ...(leader
      ? {}
      : {
          settle: (signal: AbortSignal) =>
            waitStreaming(
              ctx.hostPort(c.primary),
              name,
              AbortSignal.any([signal, AbortSignal.timeout(30_000)]),
            ),
        }),
  };
};
