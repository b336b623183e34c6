/**
 * What the local runtime needs from the OS, how to check it, and how to get it. On Debian as root a
 * missing package is installed (once, with apt-get); elsewhere the error says the exact command.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import { FaultlineError } from '../../core/errors.ts';
import type { Logger } from '../../core/logger.ts';
import { findBinary } from './binaries.ts';
import { findPostgres } from './postgres.ts';
import { serviceUser } from './run-as.ts';

const run = promisify(execFile);

export interface Check {
  name: string;
  ok: boolean;
  detail: string;
  /** Debian package that provides it, when a package fixes it. */
  debianPackage?: string;
  fix?: string;
}

// undici 8 and testcontainers 12 need Node 22.22 or newer; Node 24 LTS is the reference runtime.
const MIN_NODE = [22, 22];

async function versionOf(command: string, args: string[], pattern: RegExp): Promise<string> {
  try {
    const { stdout, stderr } = await run(command, args, { timeout: 5000 });
    return pattern.exec(`${stdout}${stderr}`)?.[1] ?? 'unknown version';
  } catch {
    return 'unknown version';
  }
}

export async function binaryCheck(
  name: string,
  binary: string,
  debianPackage: string,
  versionArgs: string[],
  pattern: RegExp,
): Promise<Check> {
  const path = findBinary(binary);
  if (!path)
    return {
      name,
      ok: false,
      detail: `${binary} not found`,
      debianPackage,
      fix: `apt-get install -y ${debianPackage}`,
    };
  return { name, ok: true, detail: `${path} (${await versionOf(path, versionArgs, pattern)})` };
}

export async function checkPrerequisites(): Promise<Check[]> {
  const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
  const nodeOk =
    major > (MIN_NODE[0] as number) || (major === MIN_NODE[0] && minor >= (MIN_NODE[1] as number));
  const postgres = findPostgres();
  const checks: Check[] = [
    {
      name: 'node',
      ok: nodeOk,
      detail: `v${process.versions.node}`,
      fix: nodeOk
        ? undefined
        : `run faultline through npm (npx faultline, npm run ...): npm ci installs Node 24 into node_modules; or install Node ${MIN_NODE.join('.')} or newer`,
    },
    postgres
      ? { name: 'postgresql', ok: true, detail: `PostgreSQL ${postgres.version} in ${postgres.bin}` }
      : {
          name: 'postgresql',
          ok: false,
          detail: 'PostgreSQL server not found',
          debianPackage: 'postgresql',
          fix: 'apt-get install -y postgresql',
        },
    await binaryCheck('redis', 'redis-server', 'redis-server', ['--version'], /v=(\S+)/),
    await binaryCheck('haproxy', 'haproxy', 'haproxy', ['-v'], /version (\S+)/),
    await binaryCheck('varnish', 'varnishd', 'varnish', ['-V'], /(varnish-\S+)/),
    await binaryCheck('c compiler (varnish VCL)', 'cc', 'gcc', ['--version'], /(\d+\.\d+\.\d+)/),
  ];
  if (process.getuid?.() === 0) {
    const user = serviceUser();
    checks.push(
      user
        ? { name: 'postgres user', ok: true, detail: `running as root: PostgreSQL runs as uid ${user.uid}` }
        : {
            name: 'postgres user',
            ok: false,
            detail: 'running as root but there is no postgres user to run PostgreSQL as',
            debianPackage: 'postgresql',
            fix: 'apt-get install -y postgresql (it creates the user)',
          },
    );
  }
  return checks;
}

/** What failover: patroni needs besides the usual services: Patroni, etcd, and unshare for its namespace. */
export async function patroniPrerequisites(): Promise<Check[]> {
  return [
    await binaryCheck('patroni', 'patroni', 'patroni', ['--version'], /patroni (\S+)/),
    await binaryCheck('etcd', 'etcd', 'etcd-server', ['--version'], /etcd Version: (\S+)/),
    await binaryCheck('unshare', 'unshare', 'util-linux', ['--version'], /util-linux (\S+)/),
  ];
}

function canInstall(): boolean {
  return process.getuid?.() === 0 && existsSync('/etc/debian_version') && findBinary('apt-get') !== undefined;
}

let ensured: Promise<void> | undefined;

/** Makes sure every prerequisite is there (checked once per process), installing Debian packages when we may. */
export function ensurePrerequisites(log: Logger): Promise<void> {
  ensured ??= ensureChecks(checkPrerequisites, log).catch((err) => {
    ensured = undefined; // let a later call try again after the user fixed it
    throw err;
  });
  return ensured;
}

/**
 * Runs the checks; on Debian as root installs the packages that fix the failing ones (once, with
 * apt-get) and checks again. Whatever is still missing is one error naming it and the command.
 */
export async function ensureChecks(checks: () => Promise<Check[]>, log: Logger): Promise<void> {
  let missing = (await checks()).filter((c) => !c.ok);
  const packages = [...new Set(missing.flatMap((c) => (c.debianPackage ? [c.debianPackage] : [])))];
  if (packages.length && canInstall()) {
    log.info(`installing missing packages (one time): ${packages.join(' ')}`);
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    const install = () =>
      run('apt-get', ['install', '-y', '--no-install-recommends', ...packages], {
        env,
        maxBuffer: 64 * 1024 * 1024,
      });
    await install().catch(async () => {
      await run('apt-get', ['update'], { env, maxBuffer: 64 * 1024 * 1024 });
      await install();
    });
    missing = (await checks()).filter((c) => !c.ok);
  }
  if (missing.length) {
    const fixes = [...new Set(missing.map((c) => c.fix).filter(Boolean))].join('; ');
    throw new FaultlineError(
      'env.missing',
      `missing: ${missing.map((c) => `${c.name} (${c.detail})`).join(', ')}`,
      fixes || 'run faultline doctor',
    );
  }
}
