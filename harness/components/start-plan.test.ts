import assert from 'node:assert/strict';
import { loadTarget } from '../target/catalog.ts';
import { composeTarget } from '../target/target.ts';
import { serviceNamesOf } from './composition.ts';
import { APP_SCHEMA, FAILOVER_MANAGER, startPlan } from './start-plan.ts';

describe('startPlan', () => {
  const plan = async (options: Record<string, unknown> = {}) => {
    const composition = composeTarget(await loadTarget('shop'), options);
    return { composition, plan: startPlan(composition) };
  };
  const waits = (p: Awaited<ReturnType<typeof plan>>['plan'], name: string) =>
    p.find((s) => s.name === name)?.waitsFor;

  it('starts every service of the composition once, and applies the app schema once', async () => {
    const { composition, plan: p } = await plan();
    assert.deepEqual(p.map((s) => s.name).sort(), [...serviceNamesOf(composition), APP_SCHEMA].sort());
  });

  it('starts the primary, the cache and session nodes and the link proxies at once', async () => {
    const { plan: p } = await plan();
    const first = p.filter((s) => s.waitsFor.length === 0).map((s) => s.name);
    assert.deepEqual(first.sort(), ['cache-1', 'cache-2', 'pg-primary', 'sessions', 'toxiproxy']);
  });

  it('clones a replica through its link once the primary is up; the schema goes on the primary only', async () => {
    const { plan: p } = await plan({ replicas: 2 });
    assert.deepEqual(waits(p, 'pg-replica-2'), ['toxiproxy', 'pg-primary']);
    assert.deepEqual(waits(p, APP_SCHEMA), ['pg-primary']);
  });

  it('starts an instance of the app once the schema is in and every data service it is told of is up', async () => {
    const { composition, plan: p } = await plan({ web: 2, replicas: 1, cache: 2 });
    assert.deepEqual(waits(p, 'web-2'), [
      'toxiproxy',
      APP_SCHEMA,
      ...composition.replicas,
      'cache-1',
      'cache-2',
      'sessions',
    ]);
  });

  it('starts the LB and the CDN edge once every instance is up', async () => {
    const { plan: p } = await plan({ web: 2 });
    assert.deepEqual(waits(p, 'lb'), ['toxiproxy', 'web-1', 'web-2']);
    assert.deepEqual(waits(p, 'cdn'), ['toxiproxy', 'web-1', 'web-2']);
  });

  it('with a failover manager: pg-write starts on the primary, instances wait for it, the runbook for all of it', async () => {
    const { plan: p } = await plan({ web: 1, replicas: 2, failover: { manager: 'manual' } });
    assert.deepEqual(waits(p, 'pg-write'), ['toxiproxy', 'pg-primary']);
    assert.ok(waits(p, 'web-1')?.includes('pg-write'));
    assert.deepEqual(waits(p, FAILOVER_MANAGER), ['pg-write', 'pg-replica-1', 'pg-replica-2']);
    const { plan: none } = await plan({ failover: { manager: 'none' } });
    assert.ok(!none.some((s) => s.name === 'pg-write' || s.name === FAILOVER_MANAGER));
  });

  it('with Patroni: etcd first, the primary’s Patroni takes the leader key before the replicas clone from it', async () => {
    const { plan: p } = await plan({ web: 1, replicas: 2, failover: { manager: 'patroni' } });
    assert.deepEqual(waits(p, 'etcd'), []);
    assert.deepEqual(waits(p, 'pg-primary'), ['toxiproxy', 'etcd']);
    assert.deepEqual(waits(p, 'pg-replica-2'), ['toxiproxy', 'etcd', 'pg-primary']);
    // pg-write checks every node's REST API, so every node is up first.
    assert.deepEqual(waits(p, 'pg-write'), ['toxiproxy', 'pg-primary', 'pg-replica-1', 'pg-replica-2']);
    assert.ok(p.some((s) => s.name === FAILOVER_MANAGER));
  });
});
