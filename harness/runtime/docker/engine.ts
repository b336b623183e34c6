/**
 * The Docker engine, found the way testcontainers finds it (DOCKER_HOST, ~/.testcontainers.properties,
 * the default socket), with dockerode underneath for what testcontainers has no verb for (kill, pause,
 * labelled clean-up, image builds).
 */
import { createServer } from 'node:net';
import Dockerode from 'dockerode';
import { type ContainerRuntimeClient, getContainerRuntimeClient, ImageName } from 'testcontainers';
import { FaultlineError } from '../../core/errors.ts';
import { type ImageRole, type ImageSet, imageEnvVar } from './images.ts';

export interface Engine {
  docker: Dockerode;
  /** e.g. "20.10.24+dfsg1" */
  version: string;
  /** Where mapped ports are reachable from the harness. */
  host: string;
}

const REACH_TIMEOUT_MS = 5000;

function noEngine(detail: string): FaultlineError {
  return new FaultlineError(
    'env.docker',
    `no Docker engine is reachable (${detail})`,
    'start dockerd (or set DOCKER_HOST), or use --runtime local',
  );
}

let engine: Promise<Engine> | undefined;

/** The engine, or a one-line error saying none answers. Found once per process. */
export function connectEngine(): Promise<Engine> {
  engine ??= findEngine().catch((err) => {
    engine = undefined;
    throw err;
  });
  return engine;
}

async function findEngine(): Promise<Engine> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(noEngine(`no answer within ${REACH_TIMEOUT_MS} ms`)), REACH_TIMEOUT_MS);
  });
  try {
    // testcontainers falls back to other engines when DOCKER_HOST fails; a user who set it means it.
    if (process.env.DOCKER_HOST) {
      await Promise.race([new Dockerode().ping(), timeout]).catch((err: Error) => {
        throw noEngine(`DOCKER_HOST=${process.env.DOCKER_HOST} does not answer: ${err.message}`);
      });
    }
    const client = await Promise.race([getContainerRuntimeClient(), timeout]);
    const docker = (client.container as unknown as { dockerode?: Dockerode }).dockerode;
    if (!docker) throw noEngine('the container runtime client has no Docker API');
    const version = (await Promise.race([docker.version(), timeout])).Version;
    return { docker, version, host: await harnessHost(client) };
  } catch (err) {
    if (err instanceof FaultlineError) throw err;
    throw noEngine((err as Error).message.split('\n')[0] ?? String(err));
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Where the harness reaches published ports. Seeing /.dockerenv, testcontainers assumes it runs in a
 * container beside the engine and picks the bridge's gateway. When that gateway is an address of this
 * very machine, the engine publishes here, so loopback is the address to use and ports stay off the
 * machine's network; testcontainers' own wait strategies are pointed there too. A
 * TESTCONTAINERS_HOST_OVERRIDE set by the user wins.
 */
async function harnessHost(client: ContainerRuntimeClient): Promise<string> {
  const runtime = client.info.containerRuntime;
  if (process.env.TESTCONTAINERS_HOST_OVERRIDE === undefined && (await isThisMachine(runtime.host))) {
    runtime.host = '127.0.0.1';
    runtime.hostIps = [{ address: '127.0.0.1', family: 4 }];
  }
  return runtime.host;
}

/** True when `host` is an address of this machine: only then can we listen on it. */
async function isThisMachine(host: string): Promise<boolean> {
  const server = createServer();
  return new Promise((resolve) => {
    server.once('error', () => resolve(false));
    server.listen({ host, port: 0 }, () => server.close(() => resolve(true)));
  });
}

export async function imagePresent(docker: Dockerode, name: string): Promise<boolean> {
  return docker
    .getImage(ImageName.fromString(name).string)
    .inspect()
    .then(
      () => true,
      () => false,
    );
}

/** The images of the set that are not on the engine, by role. */
export async function missingImages(docker: Dockerode, set: ImageSet): Promise<[ImageRole, string][]> {
  const entries = Object.entries(set) as [ImageRole, string][];
  const present = await Promise.all(entries.map(([, name]) => imagePresent(docker, name)));
  return entries.filter((_, i) => !present[i]);
}

/**
 * Every image the topology needs is present, or pulled now; otherwise one error naming the missing
 * images and both ways out (a mirror, or building them here).
 */
export async function ensureImages(
  engine: Engine,
  set: ImageSet,
  log: (line: string) => void,
): Promise<void> {
  const missing: [ImageRole, string][] = [];
  for (const [role, name] of await missingImages(engine.docker, set)) {
    if (!(await pullImage(engine, name, log))) missing.push([role, name]);
  }
  if (missing.length) {
    const names = missing.map(([, name]) => name).join(', ');
    const vars = missing.map(([role]) => imageEnvVar(role)).join(', ');
    throw new FaultlineError(
      'env.images',
      `image${missing.length > 1 ? 's' : ''} missing and not pullable: ${names}`,
      `run "faultline images build" to build them here, or point ${vars} at a mirror`,
    );
  }
}

/** Pulls `name`; true once it is on the engine. */
export async function pullImage(engine: Engine, name: string, log: (line: string) => void): Promise<boolean> {
  log(`pulling ${name}`);
  const { docker } = engine;
  try {
    const stream = await docker.pull(ImageName.fromString(name).string);
    await new Promise<void>((resolve, reject) =>
      docker.modem.followProgress(stream, (err: Error | null) => (err ? reject(err) : resolve())),
    );
    return imagePresent(docker, name);
  } catch {
    return false;
  }
}
