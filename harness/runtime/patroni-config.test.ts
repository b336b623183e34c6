/** Patroni's configuration as faultline writes it, and etcd's flags. */
import assert from 'node:assert/strict';
import { architectureSchema, composeArchitecture } from '../components/architecture.ts';
import { appSpecSchema, webAppFrom } from '../components/web-app.ts';
import { etcdArgs, patroniConfig } from './patroni-config.ts';

const app = webAppFrom(appSpecSchema.parse({ command: ['true'] }));
const compose = (options: object) => composeArchitecture('demo', architectureSchema.parse(options), app);
const node = {
  scope: 'faultline-s1',
  name: 'pg-replica-1',
  rest: { listen: '127.0.0.1:8008', connect: '127.0.0.1:8008' },
  postgres: { listen: '127.0.0.1:5433', connect: '127.0.0.1:5433' },
  etcd: '127.0.0.1:2399',
  dataDir: '/tmp/s1/pg-replica-1/data',
  binDir: '/usr/lib/postgresql/15/bin',
  socketDir: '/tmp/s1/pg-replica-1',
  clients: '127.0.0.1/32',
};

describe('Patroni configuration', () => {
  const config = (options: object) => JSON.parse(patroniConfig(compose(options), node));

  it('carries the experiment’s timings into the bootstrap DCS settings, with pg_rewind on', () => {
    const c = config({ failover: { manager: 'patroni', patroni: { ttl: 7, loopWait: 1, retryTimeout: 3 } } });
    assert.deepEqual(
      [c.bootstrap.dcs.ttl, c.bootstrap.dcs.loop_wait, c.bootstrap.dcs.retry_timeout],
      [7, 1, 3],
    );
    assert.equal(c.bootstrap.dcs.postgresql.use_pg_rewind, true);
    assert.equal(c.bootstrap.dcs.synchronous_mode, false);
  });

  it('names the node in faultline.node (Patroni sets cluster_name to the scope) and turns on what pg_rewind needs', () => {
    const { parameters } = config({ failover: { manager: 'patroni' } }).postgresql;
    assert.equal(parameters['faultline.node'], 'pg-replica-1');
    assert.equal(parameters.full_page_writes, 'on');
    assert.equal(parameters.wal_log_hints, 'on');
  });

  it('reaches etcd at the address it is given (its link) and uses synchronous_mode for sync replication', () => {
    const c = config({ failover: { manager: 'patroni' }, replication: 'sync' });
    assert.deepEqual(c.etcd3.hosts, ['127.0.0.1:2399']);
    // A proxy: Patroni must not discover etcd's own address and go around the link.
    assert.equal(c.etcd3.use_proxies, true);
    assert.equal(c.bootstrap.dcs.synchronous_mode, true);
  });

  it('etcd: one member, listening where told, advertising its name, with fast heartbeats', () => {
    const args = etcdArgs({
      dataDir: '/d',
      client: '0.0.0.0:2379',
      advertise: 'etcd-host:2379',
      peerListen: '0.0.0.0:2380',
      peer: 'etcd-host:2380',
    });
    const flag = (name: string) => args[args.indexOf(name) + 1];
    assert.equal(flag('--listen-peer-urls'), 'http://0.0.0.0:2380');
    assert.equal(flag('--initial-cluster'), 'etcd=http://etcd-host:2380');
    assert.equal(flag('--advertise-client-urls'), 'http://etcd-host:2379');
    assert.equal(flag('--election-timeout'), '500');
  });
});
