/** The failover-manager step on any runtime: the manual runbook, watching the started primary. */
import type { ServiceHandle } from '../service.ts';
import type { Starter } from '../starters.ts';
import type { TopologyStart } from '../topology.ts';
import { ManualFailover } from './manual-failover.ts';

export const startFailoverManager: Starter<TopologyStart<ServiceHandle>> = (_name, ctx) => ({
  async start() {
    const c = ctx.composition;
    const manager = new ManualFailover({
      spec: c.failover,
      primary: c.primary,
      replicas: c.replicas,
      hostAddress: (node) => {
        const handle = ctx.handle(node);
        return { host: handle.host, port: handle.ports.postgres as number };
      },
      reach: (replica, node) => ctx.reach(`${replica}->${node}`),
      endpointApi: ctx.writeEndpointApi(),
    });
    manager.start();
    ctx.useFailover(manager);
  },
});
