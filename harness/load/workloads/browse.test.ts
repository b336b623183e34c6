import assert from 'node:assert/strict';
import { type HttpTarget, httpTarget } from '../../../test/helpers/http-target.ts';
import { loadAgainst } from '../../../test/helpers/load.ts';

describe('browse workload', function () {
  this.timeout(20_000);
  let target: HttpTarget;
  beforeEach(async () => {
    target = await httpTarget();
  });
  afterEach(() => target.close());

  it('views product pages through the LB, popular products far more often than the tail', async () => {
    const { samples } = await loadAgainst(target.url, {
      executor: { executor: 'constant-arrival-rate', rate: 400, duration: '500ms' },
      workload: { workload: 'browse', products: 50 },
    });
    assert.equal(samples.length, 200);
    assert.ok(samples.every((s) => s.request === 'GET /products/:id' && s.outcome === 'ok'));
    assert.ok(
      samples.every((s) => typeof s.detail?.productId === 'number'),
      'each read names its product',
    );
    const views: Record<string, number> = {};
    for (const { method, path } of target.seen) {
      if (method !== 'GET') continue;
      assert.match(path, /^\/products\/([1-9]|[1-4]\d|50)$/);
      views[path] = (views[path] ?? 0) + 1;
    }
    // Zipf with exponent 1 over 50 products: product 1 has ~22% of views, product 50 ~0.4%.
    assert.ok((views['/products/1'] ?? 0) > 25, `product 1 viewed ${views['/products/1']} times of 200`);
    assert.ok(Object.keys(views).length > 15, 'the long tail is visited too');
  });
});
