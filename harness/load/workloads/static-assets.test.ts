import assert from 'node:assert/strict';
import { type HttpTarget, httpTarget } from '../../../test/helpers/http-target.ts';
import { loadAgainst } from '../../../test/helpers/load.ts';

describe('static-assets workload', function () {
  this.timeout(20_000);
  let lb: HttpTarget;
  let cdn: HttpTarget;
  beforeEach(async () => {
    lb = await httpTarget();
    cdn = await httpTarget();
  });
  afterEach(async () => {
    await lb.close();
    await cdn.close();
  });

  const run = (uncachedShare: number) =>
    loadAgainst(
      { lb: lb.url, cdn: cdn.url },
      {
        executor: { executor: 'constant-arrival-rate', rate: 200, duration: '250ms' },
        workload: { workload: 'static-assets', assets: ['a.css', 'b.js'], uncachedShare },
      },
    );
  const gets = (t: HttpTarget) => t.seen.filter((r) => r.method === 'GET').map((r) => r.path);

  it('fetches the assets through the CDN edge, never the LB', async () => {
    const { samples } = await run(0);
    assert.equal(samples.length, 50);
    assert.deepEqual(gets(lb), []);
    assert.deepEqual([...new Set(gets(cdn))].sort(), ['/static/a.css', '/static/b.js']);
    assert.ok(
      samples.every((s) => s.detail?.cacheable === true && s.request === 'GET /static/* (cacheable)'),
    );
  });

  it('names the asset of each request in detail.asset (a checker tells versions of one file apart)', async () => {
    const { samples } = await run(0.5);
    const paths = gets(cdn);
    assert.deepEqual(
      samples.map((s) => `/static/${s.detail?.asset}`).sort(),
      paths.map((p) => p.replace(/\?.*$/, '')).sort(),
    );
  });

  it('busts the cache for `uncachedShare` of the requests with a unique query string', async () => {
    const { samples } = await run(1);
    const paths = gets(cdn);
    assert.equal(paths.length, 50);
    assert.ok(
      paths.every((p) => /^\/static\/(a\.css|b\.js)\?v=\d+$/.test(p)),
      paths.join(' '),
    );
    assert.equal(new Set(paths).size, 50, 'each cache-busting URL is new');
    assert.ok(samples.every((s) => s.detail?.cacheable === false));
  });
});
