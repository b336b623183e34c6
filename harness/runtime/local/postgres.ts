/**
 * PostgreSQL on the local runtime: a primary and streaming replicas from the OS packages, as child
 * processes on loopback with settings for throwaway clusters. initdb runs once per machine into a
 * cached template that each cluster copies (a copy is ~10x faster than initdb).
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type pg from 'pg';
import { FaultlineError } from '../../core/errors.ts';
import { sqlSession } from '../answers.ts';
import { nodeSetting, POSTGRES_SETTINGS, replicationSettings } from '../service-settings.ts';
import type { Starter } from '../starters.ts';
import { LocalService, type ProcessSpec } from './local-service.ts';
import type { LocalStart } from './local-start.ts';
import { chownTo, type RunAs, serviceUser } from './run-as.ts';
import type { LocalSession } from './session.ts';

const run = promisify(execFile);

export interface PostgresInstall {
  bin: string;
  version: number;
}

/** The newest PostgreSQL server installed from Debian's packages (15 on Debian 12). */
export function findPostgres(): PostgresInstall | undefined {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root)
    ? readdirSync(root)
        .map(Number)
        .filter((v) => existsSync(join(root, `${v}`, 'bin', 'postgres')))
        .sort((a, b) => b - a)
    : [];
  const version = versions[0];
  return version === undefined ? undefined : { bin: join(root, `${version}`, 'bin'), version };
}

function requirePostgres(): PostgresInstall {
  const install = findPostgres();
  if (!install) {
    throw new FaultlineError(
      'env.postgres',
      'PostgreSQL server is not installed',
      'apt-get install -y postgresql',
    );
  }
  return install;
}

async function template(
  install: PostgresInstall,
  cacheDir: string,
  user: RunAs | undefined,
): Promise<string> {
  const dir = join(cacheDir, `pg${install.version}-template`);
  if (existsSync(join(dir, 'PG_VERSION'))) return dir;
  mkdirSync(cacheDir, { recursive: true, mode: 0o755 });
  const staging = `${dir}.${process.pid}.tmp`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { mode: 0o700 });
  chownTo(staging, user);
  await run(
    join(install.bin, 'initdb'),
    ['-D', staging, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--no-sync', '--no-instructions'],
    {
      uid: user?.uid,
      gid: user?.gid,
    },
  );
  try {
    renameSync(staging, dir);
  } catch {
    rmSync(staging, { recursive: true, force: true }); // another session made it first
  }
  return dir;
}

export interface PostgresNode {
  service: LocalService;
  port: number;
  dataDir: string;
}

function postgresSpec(
  install: PostgresInstall,
  name: string,
  dataDir: string,
  port: number,
  user: RunAs | undefined,
  extra: readonly string[],
): ProcessSpec {
  const args = ['-D', dataDir, '-c', `port=${port}`, '-c', `cluster_name=${name}`, '-c', nodeSetting(name)];
  const settings = ['listen_addresses=127.0.0.1', 'unix_socket_directories=', ...POSTGRES_SETTINGS, ...extra];
  for (const setting of settings) args.push('-c', setting);
  return {
    name,
    command: join(install.bin, 'postgres'),
    args,
    uid: user?.uid,
    gid: user?.gid,
    ports: { postgres: port },
    stopSignal: 'SIGINT', // fast shutdown: abort transactions, no waiting for clients
    ready: (service, signal) =>
      service.log
        .waitFor(/database system is ready to accept (read-only )?connections/, signal)
        .then(() => undefined),
  };
}

/** `settings`: more server settings for this node (synchronous replication, say). */
export async function startPrimary(
  session: LocalSession,
  name: string,
  port: number,
  settings: readonly string[] = [],
): Promise<PostgresNode> {
  const install = requirePostgres();
  const user = serviceUser();
  const source = await template(install, join(session.dir, '..', '..', 'cache'), user);
  const dataDir = session.path(name);
  await run('cp', ['-a', source, dataDir]);
  const service = new LocalService(postgresSpec(install, name, dataDir, port, user, settings), session);
  await service.start();
  return { service, port, dataDir };
}

/**
 * A streaming replica cloned with pg_basebackup from `upstreamPort` — the replication proxy, so its
 * primary_conninfo points there and replication itself can be faulted.
 */
export async function startReplica(
  session: LocalSession,
  name: string,
  port: number,
  upstreamPort: number,
  settings: readonly string[] = [],
): Promise<PostgresNode> {
  const install = requirePostgres();
  const user = serviceUser();
  const dataDir = session.path(name);
  mkdirSync(dataDir, { mode: 0o700 });
  chownTo(dataDir, user);
  const conninfo = `host=127.0.0.1 port=${upstreamPort} user=postgres application_name=${name}`;
  try {
    await run(
      join(install.bin, 'pg_basebackup'),
      ['-d', conninfo, '-D', dataDir, '-X', 'stream', '-R', '-c', 'fast', '--no-sync'],
      {
        uid: user?.uid,
        gid: user?.gid,
      },
    );
  } catch (err) {
    const stderr = String((err as { stderr?: string }).stderr ?? err).trim();
    throw new FaultlineError(
      'service.start',
      `${name} failed to start: pg_basebackup: ${stderr}`,
      'check the primary and its replication proxy',
    );
  }
  const service = new LocalService(postgresSpec(install, name, dataDir, port, user, settings), session);
  await service.start();
  return { service, port, dataDir };
}

/** One superuser connection to a local PostgreSQL; generous bounds, since schema and seed work runs on it too. */
export function withClient<T>(port: number, work: (client: pg.Client) => Promise<T>): Promise<T> {
  return sqlSession('127.0.0.1', port, 30_000, work);
}

export function query<R extends pg.QueryResultRow>(
  port: number,
  text: string,
  values?: unknown[],
): Promise<R[]> {
  return withClient(port, async (client) => (await client.query<R>(text, values)).rows);
}

/** Resolves once the primary reports the replica's WAL sender as streaming. */
export async function waitStreaming(
  primaryPort: number,
  replica: string,
  signal: AbortSignal,
): Promise<void> {
  while (!signal.aborted) {
    const rows = await query<{ state: string }>(
      primaryPort,
      'SELECT state FROM pg_stat_replication WHERE application_name = $1',
      [replica],
    );
    if (rows[0]?.state === 'streaming') return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`${replica} did not reach streaming`);
}

export const startPrimaryNode: Starter<LocalStart> = (name, ctx) => ({
  async start() {
    const { replication, replicas } = ctx.composition;
    const settings = replicationSettings(replication, replicas);
    ctx.add((await startPrimary(ctx.session, name, ctx.port(name), settings)).service);
  },
});

/** Cloned through its link to the primary; done once the primary sees it streaming. */
export const startReplicaNode: Starter<LocalStart> = (name, ctx) => {
  const { primary, replication, replicas } = ctx.composition;
  return {
    async start() {
      const upstream = ctx.port(`${name}->${primary}`);
      const settings = replicationSettings(replication, replicas);
      ctx.add((await startReplica(ctx.session, name, ctx.port(name), upstream, settings)).service);
    },
    settle: (signal) =>
      waitStreaming(ctx.port(primary), name, AbortSignal.any([signal, AbortSignal.timeout(10_000)])),
  };
};
