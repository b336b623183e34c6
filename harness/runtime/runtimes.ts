/**
 * Which runtime starts the topology: `local` (processes on loopback), `docker` (containers through
 * testcontainers), or `auto`: docker when an engine answers, local otherwise (DESIGN.md "Runtimes").
 */
import type { ShopTopologyInput } from '../../targets/shop/topology.ts';
import type { Logger } from '../core/logger.ts';
import { startDockerTopology } from './docker/docker-topology.ts';
import { engineReachable } from './docker/engine.ts';
import { startLocalTopology } from './local/local-topology.ts';
import type { StartedTopology } from './topology.ts';

export const runtimeNames = ['local', 'docker'] as const;
export type RuntimeName = (typeof runtimeNames)[number];
export const runtimeChoices = ['auto', ...runtimeNames] as const;
export type RuntimeChoice = (typeof runtimeChoices)[number];

export const RUNTIME_HELP =
  'Where the topology runs: local processes on loopback, docker containers, or auto (docker when an engine answers)';

export async function resolveRuntime(choice: RuntimeChoice): Promise<RuntimeName> {
  if (choice !== 'auto') return choice;
  return (await engineReachable()) ? 'docker' : 'local';
}

export type TopologyStarter = (input: ShopTopologyInput) => Promise<StartedTopology>;

export function topologyStarter(runtime: RuntimeName, log: Logger): TopologyStarter {
  return runtime === 'docker'
    ? (input) => startDockerTopology(input, { log })
    : (input) => startLocalTopology(input, { log });
}
