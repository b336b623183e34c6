/**
 * `faultline images build`: where no registry is reachable, makes the docker runtime's images here,
 * under the very names it starts (images.ts). A Debian root filesystem from debootstrap with the
 * service packages is imported once as the base; small Dockerfiles (images/) lay each one out like its
 * official image. An image is rebuilt only when its recipe changed; official images already present
 * are left alone.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import type Dockerode from 'dockerode';
import { FaultlineError } from '../../core/errors.ts';
import { PROJECT_ROOT } from '../../core/project-root.ts';
import type { Engine } from './engine.ts';
import type { ImageRole, ImageSet } from './images.ts';

const IMAGES_DIR = fileURLToPath(new URL('./images/', import.meta.url));
const RECIPE_LABEL = 'faultline.recipe';
const BASE_IMAGE = 'faultline/debian-base:bookworm';
const BASE_PACKAGES = [
  'postgresql-15',
  'redis-server',
  'haproxy',
  'varnish',
  'libstdc++6',
  'ca-certificates',
  'procps',
  // For app images built on it where no registry is reachable (the Python target's, say).
  'python3-psycopg2',
  'python3-redis',
  // For the Patroni image (failover: patroni), built on it the same way.
  'patroni',
  'etcd-server',
];
/** What the toxiproxy stand-in must not carry from the project directory. */
const PROJECT_EXCLUDES = ['./.git', './runs', './bench/results', './*.heapsnapshot', './*.cpuprofile'];

export interface BuildOptions {
  /** Rebuild even when the recipe is unchanged or an official image is present. */
  force?: boolean;
  mirror?: string;
  log: (line: string) => void;
}

export type BuildOutcome = 'built' | 'up to date' | 'official image present';

/** Builds the base, then every image of the set; returns what happened to each. */
export async function buildImages(
  engine: Engine,
  set: ImageSet,
  options: BuildOptions,
): Promise<Record<ImageRole | 'base', BuildOutcome>> {
  const { docker } = engine;
  const outcomes = {} as Record<ImageRole | 'base', BuildOutcome>;
  outcomes.base = await buildBase(docker, options);
  const order: ImageRole[] = ['node', 'postgres', 'redis', 'haproxy', 'varnish', 'toxiproxy'];
  for (const role of order) {
    const base = role === 'toxiproxy' ? set.node : BASE_IMAGE;
    outcomes[role] = await buildRole(docker, role, set[role], base, options);
  }
  return outcomes;
}

function sha256(...parts: (string | Buffer)[]): string {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  return hash.digest('hex').slice(0, 16);
}

async function labelOf(docker: Dockerode, name: string): Promise<string | null | undefined> {
  try {
    const info = await docker.getImage(name).inspect();
    return info.Config?.Labels?.[RECIPE_LABEL] ?? null; // null: present, not ours
  } catch {
    return undefined; // absent
  }
}

async function buildBase(docker: Dockerode, options: BuildOptions): Promise<BuildOutcome> {
  const mirror = options.mirror ?? 'http://deb.debian.org/debian';
  const recipe = sha256(BASE_PACKAGES.join(','), mirror);
  if (!options.force && (await labelOf(docker, BASE_IMAGE)) === recipe) return 'up to date';
  if (process.getuid?.() !== 0) {
    throw new FaultlineError(
      'images.root',
      'building the base image runs debootstrap, which needs root',
      'run "sudo faultline images build", or pull the official images instead',
    );
  }
  const dir = mkdtempSync(join(tmpdir(), 'faultline-rootfs-'));
  try {
    const root = join(dir, 'root');
    options.log(`debootstrap bookworm with ${BASE_PACKAGES.join(' ')} (about a minute)`);
    await run('debootstrap', [
      '--variant=minbase',
      `--include=${BASE_PACKAGES.join(',')}`,
      'bookworm',
      root,
      mirror,
    ]);
    options.log(`importing ${BASE_IMAGE}`);
    const tar = spawn('tar', ['-C', root, '-c', '--exclude=./var/cache/apt/archives/*.deb', '.'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const [repo, tag] = BASE_IMAGE.split(':') as [string, string];
    const imported = await docker.importImage(
      tar.stdout as unknown as string,
      {
        repo,
        tag,
        changes: [`LABEL ${RECIPE_LABEL}=${recipe}`],
      } as object,
    );
    await follow(docker, imported);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return 'built';
}

async function buildRole(
  docker: Dockerode,
  role: ImageRole,
  name: string,
  base: string,
  options: BuildOptions,
): Promise<BuildOutcome> {
  const dockerfile = `${role}.Dockerfile`;
  const baseId = (await docker.getImage(base).inspect()).Id;
  const recipe = sha256(baseId, ...contextFingerprint(role));
  const label = await labelOf(docker, name);
  if (!options.force && label === recipe) return 'up to date';
  if (!options.force && label === null) return 'official image present';
  options.log(`building ${name} (${role})`);
  const staging = role === 'node' ? nodeContext() : undefined;
  try {
    const context =
      role === 'toxiproxy' ? tarOf(PROJECT_ROOT, PROJECT_EXCLUDES) : tarOf(staging ?? IMAGES_DIR, []);
    const stream = await docker.buildImage(context as unknown as string, {
      t: name,
      dockerfile: role === 'toxiproxy' ? relative(PROJECT_ROOT, join(IMAGES_DIR, dockerfile)) : dockerfile,
      buildargs: { BASE: base },
      labels: { [RECIPE_LABEL]: recipe },
      rm: true,
      forcerm: true,
    });
    await follow(docker, stream);
  } finally {
    if (staging) rmSync(staging, { recursive: true, force: true });
  }
  return 'built';
}

/**
 * A target's own app image from its Dockerfile (`context`/Dockerfile), rebuilt only when a file of
 * the context changed. The Dockerfile takes `ARG BASE`: faultline's Debian base where `faultline
 * images build` made one (no registry here), else its own default (an official image, pulled).
 */
export async function buildAppImage(
  engine: Engine,
  name: string,
  context: string,
  log: (line: string) => void,
): Promise<BuildOutcome> {
  const { docker } = engine;
  const base = await docker
    .getImage(BASE_IMAGE)
    .inspect()
    .then(
      (info) => info.Id,
      () => undefined,
    );
  const files = filesUnder(context);
  const recipe = sha256(
    base ?? 'default base',
    ...files.flatMap((f) => [relative(context, f), readFileSync(f)]),
  );
  if ((await labelOf(docker, name)) === recipe) return 'up to date';
  log(`building ${name} from ${context}`);
  const stream = await docker.buildImage(tarOf(context, []) as unknown as string, {
    t: name,
    ...(base ? { buildargs: { BASE: BASE_IMAGE } } : {}),
    labels: { [RECIPE_LABEL]: recipe },
    rm: true,
    forcerm: true,
  });
  await follow(docker, stream);
  return 'built';
}

/** What the image is made of, so a change to any of it rebuilds it. */
function contextFingerprint(role: ImageRole): (string | Buffer)[] {
  const parts: (string | Buffer)[] = [];
  if (role === 'node') parts.push(process.version);
  for (const file of recipeFiles(role)) parts.push(file, readFileSync(file));
  return parts;
}

/** The files an image's recipe depends on. */
export function recipeFiles(role: ImageRole): string[] {
  const files = [join(IMAGES_DIR, `${role}.Dockerfile`)];
  if (role === 'postgres') files.push(join(IMAGES_DIR, 'postgres-entrypoint.sh'));
  if (role === 'toxiproxy') {
    files.push(join(PROJECT_ROOT, 'package-lock.json'));
    // Everything `faultline proxy` loads: the CLI entry imports every command, and with them the
    // reports and the shop's topology, so a change in any of these must rebuild the image.
    for (const dir of ['bin', 'harness', 'reports', 'targets'])
      files.push(...filesUnder(join(PROJECT_ROOT, dir)));
  }
  return files;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((f) => join(dir, f))
    .filter((f) => statSync(f).isFile())
    .sort();
}

/** A context with this machine's node binary beside the Dockerfile. */
function nodeContext(): string {
  const dir = mkdtempSync(join(tmpdir(), 'faultline-node-image-'));
  copyFileSync(join(IMAGES_DIR, 'node.Dockerfile'), join(dir, 'node.Dockerfile'));
  copyFileSync(process.execPath, join(dir, 'node'));
  return dir;
}

function tarOf(dir: string, excludes: string[]): Readable {
  const args = ['-C', dir, '-c', ...excludes.map((e) => `--exclude=${e}`), '.'];
  return spawn('tar', args, { stdio: ['ignore', 'pipe', 'inherit'] }).stdout as Readable;
}

/** Waits for a build/import stream; the engine reports failures inside it, not as HTTP errors. */
function follow(docker: Dockerode, stream: NodeJS.ReadableStream): Promise<void> {
  return new Promise((resolve, reject) => {
    docker.modem.followProgress(stream, (err: Error | null, output: { error?: string }[] = []) => {
      const failed = err?.message ?? output.find((o) => o.error)?.error;
      if (failed)
        reject(
          new FaultlineError('images.build', `image build failed: ${failed.trim()}`, 'see the output above'),
        );
      else resolve();
    });
  });
}

function run(command: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => {
      stderr = (stderr + d).slice(-2000);
    });
    child.on('error', (err) =>
      reject(
        new FaultlineError(
          'images.tool',
          `${command} is not available: ${(err as NodeJS.ErrnoException).code}`,
          `apt-get install -y ${command}`,
        ),
      ),
    );
    child.on('exit', (code) =>
      code === 0
        ? resolve()
        : reject(
            new FaultlineError(
              'images.tool',
              `${command} failed (exit ${code}): ${stderr.trim().split('\n').pop()}`,
              'check the Debian mirror is reachable (--mirror)',
            ),
          ),
    );
  });
}
