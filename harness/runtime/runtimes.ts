/**
 * Which runtime starts the topology: `local` (processes on loopback), `docker` (containers through
 * testcontainers), or `auto`: docker when an engine answers and its images are there (or pullable),
 * local otherwise (DESIGN.md "Runtimes").
 */
import type { Composition } from '../components/composition.ts';
import { FaultlineError } from '../core/errors.ts';
import { type Logger, silentLogger } from '../core/logger.ts';
import { dockerAppOf, startDockerTopology } from './docker/docker-topology.ts';
import { connectEngine, ensureImages } from './docker/engine.ts';
import { images } from './docker/images.ts';
import { startLocalTopology } from './local/local-topology.ts';
import { localAppOf } from './local/web-app.ts';
import type { StartedTopology } from './topology.ts';

export const runtimeNames = ['local', 'docker'] as const;
export type RuntimeName = (typeof runtimeNames)[number];
export const runtimeChoices = ['auto', ...runtimeNames] as const;
export type RuntimeChoice = (typeof runtimeChoices)[number];

export const RUNTIME_HELP =
  'Where the topology runs: local processes on loopback, docker containers, or auto (docker when an engine answers and its images are there or pullable)';

/**
 * The runtime `choice` means here. For auto, missing images are pulled, and the choice is logged with
 * its reason (the same facts `faultline doctor` checks): images that cannot be had mean the local
 * runtime, with a warning.
 */
export async function resolveRuntime(
  choice: RuntimeChoice,
  { log = silentLogger }: { log?: Logger } = {},
): Promise<RuntimeName> {
  if (choice !== 'auto') return choice;
  const engine = await connectEngine().catch((err: Error) => err);
  if (engine instanceof Error) {
    log.info(`runtime: local, since ${engine.message}`);
    return 'local';
  }
  try {
    await ensureImages(engine, images(), (line) => log.info(line));
  } catch (err) {
    if (!(err instanceof FaultlineError) || err.code !== 'env.images') throw err;
    log.warn(`runtime: local, since ${err.oneLine()}`);
    return 'local';
  }
  log.info(`runtime: docker, since Docker ${engine.version} answers and every image is here`);
  return 'docker';
}

/**
 * Whether the composition's web app can run on `runtime` (a command here, an image there), checked
 * before anything starts: a usage error otherwise. (An image's presence is the engine's to say, at start.)
 */
export async function checkRunnable(runtime: RuntimeName, composition: Composition): Promise<void> {
  if (runtime === 'docker') dockerAppOf(composition);
  else await localAppOf(composition);
}

export type TopologyStarter = (composition: Composition) => Promise<StartedTopology>;

export function topologyStarter(runtime: RuntimeName, log: Logger): TopologyStarter {
  return runtime === 'docker'
    ? (composition) => startDockerTopology(composition, { log })
    : (composition) => startLocalTopology(composition, { log });
}
