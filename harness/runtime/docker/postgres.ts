/**
 * PostgreSQL on the docker runtime: the primary (initdb by the image), and streaming replicas cloned
 * with pg_basebackup through their link to the primary, so replication itself can be faulted.
 */
import { type GenericContainer, Wait } from 'testcontainers';
import { waitStreaming } from '../local/postgres.ts';
import { POSTGRES_SETTINGS } from '../service-settings.ts';
import type { Starter } from '../starters.ts';
import { PORT } from './containers.ts';
import type { DockerStart } from './docker-start.ts';

const HBA_FILE = '/etc/faultline/pg_hba.conf';
const PG_HBA = 'local all all trust\nhost all all all trust\nhost replication all all trust\n';

function settingFlags(name: string): string[] {
  const settings = [
    'listen_addresses=*',
    `cluster_name=${name}`,
    `hba_file=${HBA_FILE}`,
    ...POSTGRES_SETTINGS,
  ];
  return settings.flatMap((s) => ['-c', s]);
}

function postgresContainer(c: GenericContainer): GenericContainer {
  return c
    .withCopyContentToContainer([{ content: PG_HBA, target: HBA_FILE, mode: 0o644 }])
    .withWaitStrategy(Wait.forSuccessfulCommand(`pg_isready -h 127.0.0.1 -p ${PORT.postgres} -U postgres`));
}

export const startPrimaryNode: Starter<DockerStart> = (name, ctx) => ({
  async start() {
    await ctx.run(name, ctx.images.postgres, { postgres: PORT.postgres }, (c) =>
      postgresContainer(c)
        .withEnvironment({ POSTGRES_HOST_AUTH_METHOD: 'trust', POSTGRES_INITDB_ARGS: '--no-sync' })
        .withCommand(['postgres', ...settingFlags(name)]),
    );
  },
});

/** Cloned once; a restarted replica keeps its data directory and resumes streaming. Done once the primary sees it streaming. */
export const startReplicaNode: Starter<DockerStart> = (name, ctx) => {
  const { primary } = ctx.composition;
  return {
    async start() {
      const { host, port } = ctx.via(`${name}->${primary}`);
      const data = '/tmp/pgdata';
      const conninfo = `host=${host} port=${port} user=postgres application_name=${name}`;
      const script = [
        'set -e',
        `if [ ! -s ${data}/PG_VERSION ]; then`,
        `  pg_basebackup -d '${conninfo}' -D ${data} -X stream -R -c fast --no-sync`,
        'fi',
        `exec postgres -D ${data} ${settingFlags(name)
          .map((f) => `'${f}'`)
          .join(' ')}`,
      ].join('\n');
      await ctx.run(name, ctx.images.postgres, { postgres: PORT.postgres }, (c) =>
        postgresContainer(c).withUser('postgres').withEntrypoint(['bash', '-c', script]),
      );
    },
    settle: (signal) =>
      waitStreaming(ctx.hostPort(primary), name, AbortSignal.any([signal, AbortSignal.timeout(30_000)])),
  };
};
