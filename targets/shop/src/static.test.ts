/** Static assets and health, on an instance whose database does not even exist. */
import assert from 'node:assert/strict';
import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

  it('from a STATIC_DIR: a file rewritten there is served at the next request, with a new ETag', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'faultline-shop-static-'));
    const deployed = await startShop(shopConfig({ name: 'web-8', staticDir: dir }));
    try {
      writeFileSync(join(dir, 'app.css'), 'body { color: red }\n');
      const first = await b.get(`${deployed.url}/static/app.css`);
      assert.equal(first.body, 'body { color: red }\n');
      writeFileSync(join(dir, 'next.css'), 'body { color: blue; }\n');
      renameSync(join(dir, 'next.css'), join(dir, 'app.css')); // how a deploy replaces a file
      const second = await b.get(`${deployed.url}/static/app.css`);
      assert.equal(second.body, 'body { color: blue; }\n');
      assert.notEqual(second.headers.get('etag'), first.headers.get('etag'));
    } finally {
      await deployed.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('healthz is 200 ok without any database', async () => {
    const r = await b.get(`${shop.url}/healthz`);
    assert.equal(r.status, 200);
    assert.equal(r.body, 'ok');
    assert.equal(r.headers.get('x-served-by'), 'web-7');
    assert.equal((await b.get(`${shop.url}/products/1`)).status, 503, 'while product reads fail fast');
  });
});
