/**
 * failover: patroni on a real local topology: etcd and a Patroni on every PostgreSQL node, pg-write
 * routing by each node's REST API. kill -9 the leader and Patroni promotes a replica once the leader
 * key expires, pg-write follows it, and the old leader, started again, rejoins as a replica
 * (rewound). Nothing of it outlives the topology.
 */
import assert from 'node:assert/strict';
import { runCli, waitForOutput } from '../../../test/helpers/cli.ts';
import { eventually } from '../../../test/helpers/eventually.ts';
import { faultContext } from '../../../test/helpers/fault-context.ts';
import { leftovers, nothingLeftUnder, ownSessionRoot } from '../../../test/helpers/leftovers.ts';
import { rowsOf } from '../../../test/helpers/sql.ts';
import { createFault } from '../../faults/registry.ts';
import { composeFor } from '../../target/start-target.ts';
import { type LocalTopology, startLocalTopology } from '../local/local-topology.ts';
import type { FailoverEvent } from './failover-view.ts';

describe('failover: patroni on the local runtime, for real', function () {
  this.timeout(180_000);
  let topology: LocalTopology;
  const events: (FailoverEvent & { at: number })[] = [];

  const sql = <T>(service: string, text: string) => rowsOf<T>(topology, service, text);
  const node = async (service: string) =>
    (await sql<{ node: string }>(service, "SELECT current_setting('faultline.node') AS node"))[0]?.node;

  before(async () => {
    topology = await startLocalTopology(
      await composeFor({
        web: 1,
        cache: 0,
        replicas: 2,
        failover: {
          manager: 'patroni',
          probeInterval: 250,
          patroni: { ttl: 5, loopWait: 1, retryTimeout: 2 },
        },
      }),
    );
    topology.failover?.subscribe((e) => events.push({ ...e, at: Date.now() }));
  });
  after(() => topology?.stop());

  it('starts pg-primary as the leader, the replicas streaming from it, and pg-write routing to it', async () => {
    assert.equal(await node('pg-write'), 'pg-primary');
    const states = await topology.writeEndpointStates();
    assert.equal(states.find((s) => s.server === 'pg-primary')?.status, 'UP');
    assert.ok(states.filter((s) => s.server !== 'pg-primary').every((s) => s.status.startsWith('DOWN')));
    const streaming = await sql<{ application_name: string }>(
      'pg-primary',
      "SELECT application_name FROM pg_stat_replication WHERE state = 'streaming' ORDER BY 1",
    );
    assert.deepEqual(
      streaming.map((r) => r.application_name),
      ['pg-replica-1', 'pg-replica-2'],
    );
  });

  it('after kill -9 of the leader: Patroni promotes a replica and pg-write follows within ttl + a few s', async () => {
    await sql(
      'pg-write',
      'CREATE TABLE spec_writes (id int PRIMARY KEY); INSERT INTO spec_writes VALUES (1)',
    );
    const killedAt = Date.now();
    await topology.service('pg-primary').kill('SIGKILL');
    const switched = await eventually(
      async () => events.find((e) => e.action === 'endpoint-switched'),
      30_000,
      'pg-write to route to a new leader',
    );
    const promoted = events.find((e) => e.action === 'promoted');
    assert.ok(promoted && promoted.node !== 'pg-primary', JSON.stringify(events));
    assert.equal(switched.node, promoted.node);
    assert.ok(switched.at - killedAt < 15_000, `pg-write moved ${switched.at - killedAt} ms after the kill`);
    assert.equal(await node('pg-write'), promoted.node);
    assert.equal(topology.failover?.primary(), promoted.node);
    assert.deepEqual(topology.failover?.fenced(), []);
  });

  it('the old leader, started again, rejoins as a replica of the new one', async () => {
    await topology.service('pg-primary').restart();
    const primary = topology.failover?.primary() as string;
    await eventually(
      async () => {
        const rows = await sql<{ status: string }>('pg-primary', 'SELECT status FROM pg_stat_wal_receiver');
        return rows[0]?.status === 'streaming' ? true : undefined;
      },
      30_000,
      'pg-primary to stream from the new leader',
    );
    const [recovery] = await sql<{ standby: boolean }>('pg-primary', 'SELECT pg_is_in_recovery() AS standby');
    assert.equal(recovery?.standby, true);
    assert.equal(await node('pg-write'), primary, 'writes still go to the new leader');
  });

  it('a leader cut off from etcd and its peers (primary-partition) demotes itself, a replica takes over, and it rejoins after the heal', async () => {
    const ctx = faultContext(topology);
    const old = topology.failover?.primary() as string;
    const partition = createFault({ kind: 'primary-partition' });
    await partition.inject(ctx);
    assert.equal(await partition.verify?.(ctx), true, 'every link around it down, the node still running');
    // It cannot renew the leader key: it stops taking writes itself, before any replica is promoted.
    await eventually(
      async () =>
        (await sql<{ ro: boolean }>(old, 'SELECT pg_is_in_recovery() AS ro'))[0]?.ro ? true : undefined,
      15_000,
      `${old} to demote itself`,
    );
    const next = await eventually(
      async () => {
        const now = topology.failover?.primary();
        return now && now !== old ? now : undefined;
      },
      30_000,
      'a replica to take the leader key',
    );
    // pg-write follows once its check of the new leader's REST API passes.
    await eventually(
      async () => ((await node('pg-write')) === next ? true : undefined),
      10_000,
      `pg-write to route to ${next}`,
    );
    await partition.heal(ctx);
    const [receiver] = await sql<{ status: string }>(old, 'SELECT status FROM pg_stat_wal_receiver');
    assert.equal(receiver?.status, 'streaming', `${old} streams from ${next} again`);
    const returned = ctx.events.events.find((e) => e.kind === 'observation' && e.detail?.returned);
    assert.equal(returned?.kind === 'observation' && returned.detail.returned, 'replica');
  });
});

describe('failover: patroni leaves nothing behind, whatever stops the harness', function () {
  this.timeout(120_000);
  const sessionRoot = ownSessionRoot('faultline-patroni-');

  for (const signal of ['SIGTERM', 'SIGKILL'] as const) {
    it(`faultline up --failover patroni, then ${signal} to the harness: every node, etcd and data dir is gone`, async () => {
      const run = runCli(
        [
          'up',
          '--runtime',
          'local',
          '--failover',
          'patroni',
          '--web',
          '1',
          '--cache',
          '0',
          '--replicas',
          '1',
          '--json',
        ],
        { FAULTLINE_TMP: sessionRoot() },
      );
      await waitForOutput(run, /^\{.*\}$/m, 90_000);
      const running = leftovers([], sessionRoot());
      assert.ok(
        running.some((p) => p.includes('patroni')),
        `Patroni runs: ${running.join('; ')}`,
      );
      assert.ok(
        running.some((p) => /postgres -D/.test(p)),
        'its PostgreSQL runs',
      );
      run.child.kill(signal);
      await run.exit;
      await nothingLeftUnder(sessionRoot(), 'Patroni, etcd or PostgreSQL');
    });
  }
});
