/** Static assets and health, on an instance whose database does not even exist. */
import assert from 'node:assert/strict';
import { Browser, type RunningShop, shopConfig, startShop } from './testing.ts';

describe('shop static assets and health', () => {
  let shop: RunningShop;
  const b = new Browser();

  before(async () => {
    shop = await startShop(shopConfig({ name: 'web-7', staticMaxAgeSeconds: 45 }));
  });

  after(() => shop?.close());

  it('serves /static/* with Cache-Control and an ETag the CDN can revalidate', async () => {
    for (const [file, type] of [
      ['app.css', /^text\/css/],
      ['app.js', /javascript/],
      ['logo.svg', /^image\/svg\+xml/],
    ] as const) {
      const r = await b.get(`${shop.url}/static/${file}`);
      assert.equal(r.status, 200, file);
      assert.match(r.headers.get('content-type') ?? '', type);
      assert.equal(r.headers.get('cache-control'), 'public, max-age=45');
      assert.equal(r.headers.get('x-served-by'), 'web-7');
      const etag = r.headers.get('etag');
      assert.ok(etag, `${file} has an ETag`);
      // An explicit Cache-Control: fetch() adds "no-cache" to conditional requests otherwise, which
      // (rightly) defeats the 304. Varnish revalidates without it.
      const again = await b.request(`${shop.url}/static/${file}`, {
        headers: { 'if-none-match': etag, 'cache-control': 'max-age=0' },
      });
      assert.equal(again.status, 304, `${file} revalidates`);
    }
  });

  it('404 for an unknown asset, still naming the instance', async () => {
    const r = await b.get(`${shop.url}/static/nope.css`);
    assert.equal(r.status, 404);
    assert.equal(r.headers.get('x-served-by'), 'web-7');
    assert.equal((await b.get(`${shop.url}/static/../package.json`)).status, 404);
  });

  it('healthz is 200 ok without any database', async () => {
    const r = await b.get(`${shop.url}/healthz`);
    assert.equal(r.status, 200);
    assert.equal(r.body, 'ok');
    assert.equal(r.headers.get('x-served-by'), 'web-7');
    assert.equal((await b.get(`${shop.url}/products/1`)).status, 503, 'while product reads fail fast');
  });
});
