/**
 * After a run, proof that every heal held: no toxic left on any proxy, every proxy enabled, every
 * service running. Returns the problems found (empty when all is back).
 */
import type { StartedTopology } from '../runtime/topology.ts';

export async function auditHeal(topology: StartedTopology): Promise<string[]> {
  const problems: string[] = [];
  const response = await fetch(`${topology.endpoints.toxiproxy}/proxies`);
  const proxies = (await response.json()) as Record<string, { enabled: boolean; toxics: { name: string }[] }>;
  for (const [name, proxy] of Object.entries(proxies)) {
    if (!proxy.enabled) problems.push(`proxy ${name} is disabled`);
    for (const toxic of proxy.toxics) problems.push(`proxy ${name} still has toxic ${toxic.name}`);
  }
  for (const name of topology.serviceNames) {
    if (!topology.service(name).running) problems.push(`service ${name} is not running`);
  }
  return problems;
}
