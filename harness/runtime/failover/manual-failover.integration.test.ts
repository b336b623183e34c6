/**
 * The manual runbook on a real local topology (PostgreSQL primary, two streaming replicas, pg-write
 * HAProxy, every link a Toxiproxy proxy): kill -9 the primary and the runbook detects it, promotes
 * the most advanced replica, moves pg-write to it, fences the old primary there and repoints the
 * other replica, which then streams from the new primary through its own link.
 */
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { eventually } from '../../../test/helpers/eventually.ts';
import { faultContext } from '../../../test/helpers/fault-context.ts';
import { rowsOf } from '../../../test/helpers/sql.ts';
import { createFault } from '../../faults/registry.ts';
import { composeFor } from '../../target/start-target.ts';
import { type LocalTopology, startLocalTopology } from '../local/local-topology.ts';
import type { FailoverEvent } from './failover-view.ts';

describe('manual failover (the runbook) on the local runtime, for real', function () {
  this.timeout(120_000);
  let topology: LocalTopology;
  const events: (FailoverEvent & { at: number })[] = [];

  const sql = <T>(service: string, text: string) => rowsOf<T>(topology, service, text);

  before(async () => {
    topology = await startLocalTopology(
      await composeFor({
        web: 1,
        cache: 0,
        replicas: 2,
        failover: { manager: 'manual', probes: 2, probeInterval: 200 },
      }),
    );
    topology.failover?.subscribe((e) => events.push({ ...e, at: Date.now() }));
    await sql('pg-write', 'CREATE TABLE spec_writes (id int PRIMARY KEY)');
  });
  after(() => topology?.stop());

  it('routes writes through pg-write to the primary, with the replicas standing by', async () => {
    const [row] = await sql<{ node: string }>('pg-write', "SELECT current_setting('faultline.node') AS node");
    assert.equal(row?.node, 'pg-primary');
    const states = await topology.writeEndpointStates();
    assert.deepEqual(
      states.map((s) => [s.server, s.status]),
      [
        ['pg-primary', 'UP'],
        ['pg-replica-1', 'MAINT'],
        ['pg-replica-2', 'MAINT'],
      ],
    );
    assert.equal(topology.failover?.primary(), 'pg-primary');
  });

  it('after kill -9 of the primary: detects, promotes a replica, moves pg-write, repoints the other', async () => {
    await sql('pg-write', 'INSERT INTO spec_writes SELECT generate_series(1, 100)');
    const killedAt = Date.now();
    await topology.service('pg-primary').kill('SIGKILL');
    const switched = await eventually(
      async () => events.find((e) => e.action === 'endpoint-switched'),
      15_000,
      'the runbook to move pg-write',
    );
    const promoted = events.find((e) => e.action === 'promoted');
    assert.ok(promoted, 'a promoted event');
    assert.equal(switched.node, promoted.node);
    assert.deepEqual(
      events.map((e) => e.action).slice(0, 3),
      ['detected', 'promoted', 'endpoint-switched'],
      JSON.stringify(events),
    );
    // Two probes 200 ms apart, then pg_promote: well inside a few seconds.
    assert.ok(switched.at - killedAt < 5000, `pg-write moved ${switched.at - killedAt} ms after the kill`);
    const next = promoted.node;
    const other = next === 'pg-replica-1' ? 'pg-replica-2' : 'pg-replica-1';
    assert.equal(topology.failover?.primary(), next);
    assert.deepEqual(topology.failover?.fenced(), ['pg-primary']);

    // Writes through pg-write now land on the promoted node, with every acknowledged row kept.
    const [row] = await sql<{ node: string; n: string }>(
      'pg-write',
      "INSERT INTO spec_writes VALUES (101) RETURNING current_setting('faultline.node') AS node, (SELECT count(*) FROM spec_writes)::text AS n",
    );
    assert.equal(row?.node, next);
    const [count] = await sql<{ n: string }>('pg-write', 'SELECT count(*)::text AS n FROM spec_writes');
    assert.equal(count?.n, '101');

    // The other replica follows the new primary through its own link, and sees the new row.
    await eventually(
      async () =>
        (await sql<{ id: number }>(other, 'SELECT id FROM spec_writes WHERE id = 101')).length
          ? true
          : undefined,
      15_000,
      `${other} to replay the new primary's write`,
    );
    const [receiver] = await sql<{ status: string; sender_port: number }>(
      other,
      'SELECT status, sender_port FROM pg_stat_wal_receiver',
    );
    assert.equal(receiver?.status, 'streaming');
    assert.ok(events.some((e) => e.action === 'repointed' && e.node === other));
  });

  it('keeps the old primary fenced when it comes back: out of pg-write, writes still go to the new one', async () => {
    await topology.service('pg-primary').restart();
    await sleep(600); // three check intervals of pg-write
    const states = await topology.writeEndpointStates();
    assert.equal(states.find((s) => s.server === 'pg-primary')?.status, 'MAINT');
    const [row] = await sql<{ node: string }>('pg-write', "SELECT current_setting('faultline.node') AS node");
    assert.equal(row?.node, topology.failover?.primary());
  });

  it('a primary cut off from the replicas and the monitoring (primary-partition) acknowledges writes until the runbook fences it, and those are lost', async () => {
    const ctx = faultContext(topology);
    const old = topology.failover?.primary() as string;
    const endpoint = topology.service('pg-write');
    // A writer's pooled connection, opened before the partition, as a web instance holds one.
    const held = new pg.Client({ host: endpoint.host, port: endpoint.ports.postgres, user: 'postgres' });
    held.on('error', () => undefined);
    await held.connect();
    const switches = events.filter((e) => e.action === 'endpoint-switched').length;
    const partition = createFault({ kind: 'primary-partition' });
    await partition.inject(ctx);
    assert.equal(await partition.verify?.(ctx), true, 'every link around it down, the node still running');
    // Not a crash: the old primary still commits (asynchronous replication), but no replica gets it.
    await held.query('INSERT INTO spec_writes VALUES (200)');
    await eventually(
      async () =>
        events.filter((e) => e.action === 'endpoint-switched').length > switches ? true : undefined,
      15_000,
      'the runbook to detect the partition through the monitor link and move pg-write',
    );
    const next = topology.failover?.primary();
    assert.notEqual(next, old);
    // Fencing closed the connections writers held to it, not only new ones.
    await assert.rejects(held.query('INSERT INTO spec_writes VALUES (201)'));
    await held.end().catch(() => undefined);
    const rows = await sql<{ id: number }>('pg-write', 'SELECT id FROM spec_writes WHERE id >= 200');
    assert.deepEqual(rows, [], 'the write the old primary acknowledged is not on the new primary');
    await partition.heal(ctx);
    assert.ok(topology.failover?.fenced().includes(old), `${old} stays fenced`);
  });
});

describe('synchronous replication on the local runtime, for real', function () {
  this.timeout(120_000);
  let topology: LocalTopology;
  before(async () => {
    topology = await startLocalTopology(
      await composeFor({
        web: 1,
        cache: 0,
        replicas: 2,
        replication: 'sync',
        failover: { manager: 'manual' },
      }),
    );
  });
  after(() => topology?.stop());

  it('acknowledges a commit once one of the replicas has it (ANY 1: both are quorum standbys)', async () => {
    const rows = await rowsOf<{ application_name: string; sync_state: string }>(
      topology,
      'pg-primary',
      'SELECT application_name, sync_state FROM pg_stat_replication ORDER BY application_name',
    );
    assert.deepEqual(
      rows.map((r) => [r.application_name, r.sync_state]),
      [
        ['pg-replica-1', 'quorum'],
        ['pg-replica-2', 'quorum'],
      ],
    );
  });
});
