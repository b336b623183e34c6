import assert from 'node:assert/strict';
import { type HttpTarget, httpTarget } from '../../../test/helpers/http-target.ts';
import { loadAgainst } from '../../../test/helpers/load.ts';

describe('read-after-write workload', function () {
  this.timeout(20_000);
  let target: HttpTarget;
  afterEach(() => target.close());

  it('writes a product, then reads it back carrying the version the write acknowledged', async () => {
    const versions = new Map<string, number>();
    target = await httpTarget((req, res) => {
      const path = req.url ?? '';
      if (req.method === 'POST') versions.set(path, (versions.get(path) ?? 0) + 1);
      res.setHeader('x-version', String(versions.get(path) ?? 0));
      res.end('{}');
    });
    const { samples } = await loadAgainst(target.url, {
      executor: { executor: 'constant-arrival-rate', rate: 100, duration: '300ms' },
      workload: { workload: 'read-after-write', products: 3 },
    });
    const writes = samples.filter((s) => s.request === 'POST /products/:id');
    const reads = samples.filter((s) => s.request === 'GET /products/:id after write');
    assert.equal(writes.length, 30);
    assert.equal(reads.length, 30);
    for (const read of reads) {
      const { productId, ackedVersion, ackedAt } = read.detail ?? {};
      const write = writes.find((w) => w.doneAt === ackedAt);
      assert.ok(write, 'the read names the write it follows');
      assert.equal(ackedVersion, write.version);
      assert.ok(typeof productId === 'number' && productId >= 1 && productId <= 3);
      assert.ok(read.intendedAt >= write.doneAt, 'the read is intended once the write is done');
    }
  });

  it('reads nothing back when the write was not acknowledged', async () => {
    target = await httpTarget((req, res) => {
      res.statusCode = req.method === 'POST' ? 503 : 200;
      res.end();
    });
    const { samples } = await loadAgainst(target.url, {
      executor: { executor: 'constant-arrival-rate', rate: 100, duration: '200ms' },
      workload: { workload: 'read-after-write' },
    });
    assert.equal(samples.length, 20);
    assert.ok(samples.every((s) => s.request === 'POST /products/:id' && s.outcome === 'fail'));
  });
});
