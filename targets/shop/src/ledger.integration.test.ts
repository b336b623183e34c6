/**
 * The ledger contract against a real primary with a streaming replica: each client-made id is stored
 * once, on the primary, naming the server that committed it.
 */
import assert from 'node:assert/strict';
import { type PostgresNode, query } from '../../../harness/runtime/local/postgres.ts';
import { LocalSession } from '../../../harness/runtime/local/session.ts';
import {
  Browser,
  closeSession,
  type RunningShop,
  shopConfig,
  startSeededPrimary,
  startShop,
  startStreamingReplica,
} from './testing.ts';

describe('shop ledger (POST /ledger/:id on a real PostgreSQL primary + replica)', function () {
  this.timeout(30_000);
  let session: LocalSession;
  let primary: PostgresNode;
  let replica: PostgresNode;
  let shop: RunningShop;
  const b = new Browser();
  const stored = (id: string) =>
    query<{ node: string; written_at: Date }>(
      primary.port,
      'SELECT node, written_at FROM faultline_ledger WHERE id = $1',
      [id],
    );

  before(async () => {
    session = LocalSession.open();
    primary = await startSeededPrimary(session);
    replica = await startStreamingReplica(session, 'pg-replica-1', primary.port);
    shop = await startShop(
      shopConfig({
        primary: { port: primary.port },
        replicas: [{ name: 'pg-replica-1', port: replica.port }],
        dbTimeoutMs: 400,
      }),
    );
  });

  after(async () => {
    await shop?.close();
    await closeSession(session, [primary?.service, replica?.service]);
  });

  it('stores a new id on the primary: 201 {id, node}, x-written-to naming the server (its faultline.node setting)', async () => {
    const r = await b.post(`${shop.url}/ledger/a1b2c3d4-1`);
    assert.equal(r.status, 201);
    assert.deepEqual(r.body, { id: 'a1b2c3d4-1', node: 'pg-primary' });
    assert.equal(r.headers.get('x-written-to'), 'pg-primary');
    assert.equal(r.headers.get('x-served-by'), 'web-1');
    const [row] = await stored('a1b2c3d4-1');
    assert.equal(row?.node, 'pg-primary');
    assert.ok(row.written_at instanceof Date);
  });

  it('answers the same id again with 200 and the node that stored it, keeping one row', async () => {
    const first = await b.post(`${shop.url}/ledger/retry_me`);
    const again = await b.post(`${shop.url}/ledger/retry_me`);
    assert.equal(first.status, 201);
    assert.equal(again.status, 200);
    assert.deepEqual(again.body, { id: 'retry_me', node: 'pg-primary' });
    assert.equal(again.headers.get('x-written-to'), 'pg-primary');
    assert.equal((await stored('retry_me')).length, 1);
  });

  it('stores each of concurrent duplicates once, answering every one with the node', async () => {
    const replies = await Promise.all(Array.from({ length: 8 }, () => b.post(`${shop.url}/ledger/racy`)));
    assert.deepEqual(replies.map((r) => r.status).sort(), [200, 200, 200, 200, 200, 200, 200, 201]);
    assert.ok(replies.every((r) => r.headers.get('x-written-to') === 'pg-primary'));
    assert.equal((await stored('racy')).length, 1);
  });

  it('refuses an id that is not 1 to 64 of [A-Za-z0-9_-] with 400, storing nothing', async () => {
    for (const id of ['', 'a.b', 'caf%C3%A9', 'x'.repeat(65), 'semi%3Bcolon', '%20']) {
      const r = await b.post(`${shop.url}/ledger/${id}`);
      assert.equal(r.status, 400, id);
      assert.equal(r.headers.get('x-written-to'), null);
    }
    assert.equal((await b.post(`${shop.url}/ledger/${'x'.repeat(64)}`)).status, 201);
    const [count] = await query<{ n: number }>(
      primary.port,
      "SELECT count(*)::int AS n FROM faultline_ledger WHERE id !~ '^[A-Za-z0-9_-]{1,64}$'",
    );
    assert.equal(count?.n, 0);
  });

  it('answers 503 while the primary is frozen (within the query bound), and stores again once it thaws', async () => {
    await primary.service.pause();
    try {
      const r = await b.post(`${shop.url}/ledger/while-frozen`);
      assert.equal(r.status, 503);
      assert.equal(r.headers.get('x-written-to'), null);
      assert.ok(r.ms < 2000, `answered in ${Math.round(r.ms)} ms`);
    } finally {
      await primary.service.resume();
    }
    // A retry may find the id stored (200) if the frozen server committed it on thawing.
    const deadline = Date.now() + 5000;
    let r = await b.post(`${shop.url}/ledger/after-thaw`);
    while (r.status >= 300 && Date.now() < deadline) r = await b.post(`${shop.url}/ledger/after-thaw`);
    assert.ok(r.status === 201 || r.status === 200, `status ${r.status}`);
    assert.equal(r.headers.get('x-written-to'), 'pg-primary');
    assert.equal((await stored('after-thaw')).length, 1);
  });
});
