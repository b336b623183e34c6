import assert from 'node:assert/strict';
import { type HttpTarget, httpTarget } from '../../../test/helpers/http-target.ts';
import { loadAgainst } from '../../../test/helpers/load.ts';
import { loadSchema } from '../load-spec.ts';

describe('http-get workload', function () {
  this.timeout(20_000);
  let target: HttpTarget;
  beforeEach(async () => {
    target = await httpTarget();
  });
  afterEach(() => target.close());

  it('GETs the same path, query included, every time', async () => {
    const { samples } = await loadAgainst(target.url, {
      executor: { executor: 'constant-arrival-rate', rate: 100, duration: '200ms' },
      workload: { workload: 'http-get', path: '/search?q=shoes' },
    });
    assert.equal(samples.length, 20);
    assert.ok(samples.every((s) => s.request === 'GET /search?q=shoes' && s.status === 200));
    assert.deepEqual(
      [...new Set(target.seen.filter((r) => r.method === 'GET').map((r) => r.path))],
      ['/search?q=shoes'],
    );
  });

  it('needs a path starting with /', () => {
    const parsed = loadSchema.safeParse({
      executor: { executor: 'constant-arrival-rate', rate: 1, duration: 1 },
      workload: { workload: 'http-get', path: 'search' },
    });
    assert.deepEqual(
      parsed.error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`),
      ['workload.path: must start with /'],
    );
  });
});
