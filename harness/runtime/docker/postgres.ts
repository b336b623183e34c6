/**
 * PostgreSQL on the docker runtime: the primary (initdb in its container), and streaming replicas cloned
 * with pg_basebackup through their link to the primary, so replication itself can be faulted.
 */
import { type GenericContainer, Wait } from 'testcontainers';
import type { Composition } from '../../components/composition.ts';
import { waitStreaming } from '../local/postgres.ts';
import { nodeSetting, POSTGRES_SETTINGS, replicationSettings } from '../service-settings.ts';
import type { Starter } from '../starters.ts';
import { PORT } from './containers.ts';
import type { DockerStart } from './docker-start.ts';

const HBA_FILE = '/etc/faultline/pg_hba.conf';
const PG_HBA = 'local all all trust\nhost all all all trust\nhost replication all all trust\n';

function settingFlags(name: string, c: Composition): string[] {
  const settings = [
    'listen_addresses=*',
    `cluster_name=${name}`,
    nodeSetting(name),
    `hba_file=${HBA_FILE}`,
    ...POSTGRES_SETTINGS,
    ...replicationSettings(c.replication, c.replicas),
  ];
  return settings.flatMap((s) => ['-c', s]);
}

const DATA = '/tmp/pgdata';

/**
 * A node as the postgres user, its data directory made once by `makeData` (a restarted node keeps
 * it and carries on). The image's entrypoint is bypassed: for the primary it runs initdb, starts a
 * temporary server and stops it again before the real one (~1 s more than initdb alone).
 */
function postgresContainer(
  c: GenericContainer,
  name: string,
  composition: Composition,
  makeData: string,
): GenericContainer {
  const flags = settingFlags(name, composition)
    .map((f) => `'${f}'`)
    .join(' ');
  const script = [
    'set -e',
    `if [ ! -s ${DATA}/PG_VERSION ]; then`,
    `  ${makeData}`,
    'fi',
    `exec postgres -D ${DATA} ${flags}`,
  ];
  return (
    c
      .withCopyContentToContainer([{ content: PG_HBA, target: HBA_FILE, mode: 0o644 }])
      .withUser('postgres')
      .withEntrypoint(['bash', '-c', script.join('\n')])
      // Printed once, by the real server (initdb's output is not shown): cheaper than pg_isready by exec.
      .withWaitStrategy(Wait.forLogMessage(/database system is ready to accept (read-only )?connections/))
  );
}

export const startPrimaryNode: Starter<DockerStart> = (name, ctx) => ({
  async start() {
    const initdb = `initdb -D ${DATA} -U postgres -A trust -E UTF8 --no-sync --no-instructions > /dev/null`;
    await ctx.run(name, ctx.images.postgres, { postgres: PORT.postgres }, (c) =>
      postgresContainer(c, name, ctx.composition, initdb),
    );
  },
});

/** Cloned once through its link to the primary; done once the primary sees it streaming. */
export const startReplicaNode: Starter<DockerStart> = (name, ctx) => {
  const { primary } = ctx.composition;
  return {
    async start() {
      const { host, port } = ctx.reach(`${name}->${primary}`);
      const conninfo = `host=${host} port=${port} user=postgres application_name=${name}`;
      const clone = `pg_basebackup -d '${conninfo}' -D ${DATA} -X stream -R -c fast --no-sync`;
      await ctx.run(name, ctx.images.postgres, { postgres: PORT.postgres }, (c) =>
        postgresContainer(c, name, ctx.composition, clone),
      );
    },
    settle: (signal) =>
      waitStreaming(ctx.hostPort(primary), name, AbortSignal.any([signal, AbortSignal.timeout(30_000)])),
  };
};
