/**
 * The failover-manager step on any runtime: the manual runbook watching the started primary, or
 * the harness following Patroni's leader (Patroni moves the primary itself).
 */
import { MONITOR, postgresNodesOf } from '../../components/composition.ts';
import type { ServiceHandle } from '../service.ts';
import type { Starter } from '../starters.ts';
import type { TopologyStart } from '../topology.ts';
import type { FailoverManager } from './failover-view.ts';
import { ManualFailover } from './manual-failover.ts';
import { PatroniWatch } from './patroni-watch.ts';

export const startFailoverManager: Starter<TopologyStart<ServiceHandle>> = (_name, ctx) => ({
  async start() {
    const c = ctx.composition;
    const at = (node: string, port: string) => {
      const handle = ctx.handle(node);
      return { host: handle.host, port: handle.ports[port] as number };
    };
    const manager: FailoverManager =
      c.failover.manager === 'patroni'
        ? new PatroniWatch({
            primary: c.primary,
            nodes: postgresNodesOf(c),
            restAddress: (node) => at(node, 'rest'),
            endpointApi: ctx.writeEndpointApi(),
          })
        : new ManualFailover({
            spec: c.failover,
            primary: c.primary,
            replicas: c.replicas,
            hostAddress: (node) => at(node, 'postgres'),
            probeAddress: (node) => ctx.harnessReach(`${MONITOR}->${node}`),
            reach: (replica, node) => ctx.reach(`${replica}->${node}`),
            endpointApi: ctx.writeEndpointApi(),
          });
    manager.start();
    ctx.useFailover(manager);
  },
});
