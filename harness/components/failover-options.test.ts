/** The failover options of the seed architecture: who moves the primary, and what that adds. */
import assert from 'node:assert/strict';
import { architectureSchema, composeArchitecture } from './architecture.ts';
import { harnessLinksOf, linksOf, partitionLinksOf, serviceNamesOf } from './composition.ts';
import { appSpecSchema, webAppFrom } from './web-app.ts';

const app = webAppFrom(appSpecSchema.parse({ command: ['python3', 'app.py'] }));
const compose = (options: object) => composeArchitecture('demo', architectureSchema.parse(options), app);

describe('failover options', () => {
  it('default to none: writers reach the primary directly, no write endpoint, no DCS', () => {
    const c = compose({});
    assert.equal(c.failover.manager, 'none');
    assert.equal(c.writeEndpoint, undefined);
    assert.equal(c.dcs, undefined);
    assert.equal(c.replication, 'async');
    assert.ok(linksOf(c).some((l) => l.name === 'web-1->pg-primary'));
  });

  it('patroni: etcd and pg-write, each node reaching etcd through its own link, replicas streaming node to node', () => {
    const c = compose({ replicas: 2, failover: { manager: 'patroni' } });
    assert.equal(c.dcs, 'etcd');
    assert.equal(c.writeEndpoint, 'pg-write');
    assert.deepEqual(c.failover.patroni, {
      ttl: 10,
      loopWait: 1,
      retryTimeout: 3,
      maximumLagOnFailover: 1_048_576,
    });
    const links = linksOf(c).map((l) => l.name);
    for (const link of [
      'pg-primary->etcd',
      'pg-replica-1->etcd',
      'pg-replica-2->etcd',
      'pg-write->pg-replica-2',
      'peers->pg-primary',
      'peers-api->pg-replica-1',
    ])
      assert.ok(links.includes(link), link);
    assert.ok(
      !links.includes('pg-replica-1->pg-primary'),
      'a replica streams from whichever node leads, at its peers link',
    );
    assert.equal(linksOf(c).find((l) => l.name === 'peers-api->pg-primary')?.port, 'rest', 'to its REST API');
    assert.ok(serviceNamesOf(c).includes('etcd'));
  });

  it('manual: the runbook probes each node through a monitor->node link of its own, the one link the harness itself uses', () => {
    const c = compose({ replicas: 2, failover: { manager: 'manual' } });
    assert.deepEqual(
      harnessLinksOf(c).map((l) => l.name),
      ['monitor->pg-primary', 'monitor->pg-replica-1', 'monitor->pg-replica-2'],
    );
  });

  describe('a partition around a node (primary-partition) cuts it off from the database tier, not from its clients', () => {
    const cut = (options: object, node: string) =>
      partitionLinksOf(compose({ replicas: 2, ...options }), node)
        .map((l) => l.name)
        .sort();

    it('none: the replicas’ streams', () => {
      assert.deepEqual(cut({}, 'pg-primary'), ['pg-replica-1->pg-primary', 'pg-replica-2->pg-primary']);
    });

    it('manual: the streams, the replicas’ links to it, and the monitoring', () => {
      assert.deepEqual(cut({ failover: { manager: 'manual' } }, 'pg-replica-1'), [
        'monitor->pg-replica-1',
        'pg-replica-1->pg-primary',
        'pg-replica-1->pg-replica-2',
        'pg-replica-2->pg-replica-1',
      ]);
    });

    it('patroni: etcd and its peers (replication and REST API); pg-write still reaches it', () => {
      const links = cut({ failover: { manager: 'patroni' } }, 'pg-primary');
      assert.deepEqual(links, ['peers->pg-primary', 'peers-api->pg-primary', 'pg-primary->etcd']);
    });
  });

  it('refuses Patroni timings Patroni itself would refuse, naming its rule', () => {
    const parsed = architectureSchema.safeParse({
      failover: { manager: 'patroni', patroni: { ttl: 5, loopWait: 2, retryTimeout: 2 } },
    });
    assert.equal(parsed.success, false);
    assert.match(JSON.stringify(parsed.error?.issues), /loopWait \+ 2 × retryTimeout ≤ ttl/);
  });

  it('refuses a manager that does not exist, listing the ones that do', () => {
    const parsed = architectureSchema.safeParse({ failover: { manager: 'repmgr' } });
    assert.equal(parsed.success, false);
    assert.match(JSON.stringify(parsed.error?.issues), /none.*manual.*patroni/);
  });
});
