/** The failover options of the seed architecture: who moves the primary, and what that adds. */
import assert from 'node:assert/strict';
import { architectureSchema, composeArchitecture } from './architecture.ts';
import { linksOf, serviceNamesOf } from './composition.ts';
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
    ])
      assert.ok(links.includes(link), link);
    assert.ok(!links.includes('pg-replica-1->pg-primary'), 'Patroni replicas do not stream through a link');
    assert.ok(serviceNamesOf(c).includes('etcd'));
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
