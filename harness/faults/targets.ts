/**
 * Whether a topology has what a fault acts on. Checked against the services and links a topology
 * will have before anything starts, so a typo in a link name is exit 2 at once, not a failed run
 * after the topology came up.
 */
import type { StartedTopology } from '../runtime/topology.ts';
import type { FaultTarget } from './fault.ts';

export type TopologyNames = Pick<StartedTopology, 'serviceNames' | 'linkNames'>;

/** What is wrong with the target in this topology, or undefined. */
export function targetProblem(target: FaultTarget, topology: TopologyNames): string | undefined {
  if ('link' in target) {
    return topology.linkNames.includes(target.link)
      ? undefined
      : `no link named "${target.link}" in this topology`;
  }
  if (target.service === 'toxiproxy') {
    return 'toxiproxy cannot be faulted: it carries every link (fault a link instead)';
  }
  return topology.serviceNames.includes(target.service)
    ? undefined
    : `no service named "${target.service}" in this topology`;
}

/** The names a hint lists for a target of this sort (services without toxiproxy: it cannot be faulted). */
export function namesLike(target: FaultTarget, topology: TopologyNames): string {
  return 'link' in target
    ? `links: ${topology.linkNames.join(', ')}`
    : `services: ${topology.serviceNames.filter((s) => s !== 'toxiproxy').join(', ')}`;
}
