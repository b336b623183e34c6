import assert from 'node:assert/strict';
import { type HttpTarget, httpTarget } from '../../../test/helpers/http-target.ts';
import { loadAgainst } from '../../../test/helpers/load.ts';

describe('ledger workload', function () {
  this.timeout(20_000);
  let target: HttpTarget;
  beforeEach(async () => {
    // A ledger that stores ids like the contract: 201 the first time, 200 again, x-written-to always.
    const stored = new Set<string>();
    target = await httpTarget((req, res) => {
      const path = req.url ?? '';
      if (req.method === 'POST' && path.startsWith('/ledger/')) {
        res.statusCode = stored.has(path) ? 200 : 201;
        stored.add(path);
        res.setHeader('x-written-to', 'pg-primary');
      } else {
        res.setHeader('x-read-from', 'pg-replica-1');
      }
      res.end('{}');
    });
  });
  afterEach(() => target.close());

  const run = (options: Record<string, unknown> = {}, seed = 1) =>
    loadAgainst(
      target.url,
      {
        executor: { executor: 'constant-arrival-rate', rate: 400, duration: '500ms' },
        workload: { workload: 'ledger', products: 20, ...options },
      },
      seed,
    );

  it('writes each arrival’s share of ledger ids, every one unique and named in detail.ledgerId', async () => {
    const { samples } = await run();
    const writes = samples.filter((s) => s.request === 'POST /ledger/:id');
    const reads = samples.filter((s) => s.request === 'GET /products/:id');
    assert.equal(samples.length, 200);
    assert.equal(writes.length + reads.length, 200);
    // writeRatio 0.5 of 200 arrivals: binomial, sd ≈ 7.
    assert.ok(writes.length > 70 && writes.length < 130, `${writes.length} writes of 200`);
    const ids = writes.map((s) => s.detail?.ledgerId);
    assert.equal(new Set(ids).size, writes.length, 'no id is sent twice');
    for (const w of writes) {
      assert.match(String(w.detail?.ledgerId), /^[0-9a-f]{8}-[1-9]\d*$/);
      assert.equal(w.status, 201);
      assert.equal(w.outcome, 'ok');
      assert.equal(w.writtenTo, 'pg-primary', 'writtenTo is the x-written-to header');
    }
    const posted = target.seen.filter((r) => r.method === 'POST').map((r) => r.path);
    assert.deepEqual(posted.sort(), ids.map((id) => `/ledger/${id}`).sort());
    for (const r of reads) {
      assert.equal(r.writtenTo, undefined);
      assert.equal(r.readFrom, 'pg-replica-1');
    }
    for (const { method, path } of target.seen) {
      if (method === 'GET') assert.match(path, /^\/products\/([1-9]|1\d|20)$/);
    }
  });

  it('honours writeRatio at its ends: 1 only writes, 0 only reads', async () => {
    const all = await run({ writeRatio: 1 });
    assert.ok(all.samples.every((s) => s.request === 'POST /ledger/:id'));
    await target.close();
    target = await httpTarget();
    const none = await run({ writeRatio: 0 });
    assert.ok(none.samples.every((s) => s.request === 'GET /products/:id' && s.detail === undefined));
  });

  it('draws the id prefix from the seed: the same seed makes the same ids, another seed others', async () => {
    const ids = async (seed: number) => {
      const { samples } = await run({ writeRatio: 1 }, seed);
      return samples.map((s) => String(s.detail?.ledgerId)).sort();
    };
    const prefixes = (list: string[]) => new Set(list.map((id) => id.split('-')[0]));
    const one = await ids(1);
    assert.equal(prefixes(one).size, 1, 'one prefix per run');
    assert.deepEqual(await ids(1), one);
    const other = await ids(2);
    assert.equal(prefixes(other).size, 1);
    assert.notDeepEqual(prefixes(other), prefixes(one));
  });

  it('refuses options outside their ranges or unknown ones', async () => {
    await assert.rejects(run({ writeRatio: 1.5 }), /writeRatio/);
    await assert.rejects(run({ writeRatios: 0.5 }), /writeRatios/);
  });
});
