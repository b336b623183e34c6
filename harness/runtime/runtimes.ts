/**
 * Which runtime starts the topology: `local` (processes on loopback), `docker` (containers through
 * testcontainers), or `auto`: docker when an engine answers and its images are there (or pullable),
 * local otherwise (DESIGN.md "Runtimes").
 */
import type { ShopTopologyInput } from '../../targets/shop/topology.ts';
import { FaultlineError } from '../core/errors.ts';
import { type Logger, silentLogger } from '../core/logger.ts';
import { startDockerTopology } from './docker/docker-topology.ts';
import { connectEngine, ensureImages } from './docker/engine.ts';
import { images } from './docker/images.ts';
import { startLocalTopology } from './local/local-topology.ts';
import type { StartedTopology } from './topology.ts';

export const runtimeNames = ['local', 'docker'] as const;
export type RuntimeName = (typeof runtimeNames)[number];
export const runtimeChoices = ['auto', ...runtimeNames] as const;
export type RuntimeChoice = (typeof runtimeChoices)[number];

export const RUNTIME_HELP =
  'Where the topology runs: local processes on loopback, docker containers, or auto (docker when an engine answers and its images are there or pullable)';

/**
 * The runtime `choice` means here. For auto, missing images are pulled; images that cannot be had
 * mean the local runtime, with a warning saying why.
 */
export async function resolveRuntime(
  choice: RuntimeChoice,
  { log = silentLogger }: { log?: Logger } = {},
): Promise<RuntimeName> {
  if (choice !== 'auto') return choice;
  const engine = await connectEngine().catch(() => undefined);
  if (!engine) return 'local';
  try {
    await ensureImages(engine, images(), (line) => log.info(line));
    return 'docker';
  } catch (err) {
    if (!(err instanceof FaultlineError) || err.code !== 'env.images') throw err;
    log.warn(`${err.message}: using the local runtime (${err.hint})`);
    return 'local';
  }
}

export type TopologyStarter = (input: ShopTopologyInput) => Promise<StartedTopology>;

export function topologyStarter(runtime: RuntimeName, log: Logger): TopologyStarter {
  return runtime === 'docker'
    ? (input) => startDockerTopology(input, { log })
    : (input) => startLocalTopology(input, { log });
}
