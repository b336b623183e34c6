/** The generator's HTTP client against real servers on loopback: bodies, headers, deadlines. */
import assert from 'node:assert/strict';
import { type HttpTarget, httpTarget } from '../../test/helpers/http-target.ts';
import { HttpClient } from './http-client.ts';

describe('HttpClient (undici dispatch, own deadlines)', () => {
  let target: HttpTarget | undefined;
  let client: HttpClient | undefined;
  afterEach(async () => {
    await client?.close();
    await target?.close();
    target = client = undefined;
  });

  it('returns status and headers, and the body only when asked to keep it', async () => {
    target = await httpTarget((_, res) => {
      res.setHeader('x-version', '7');
      res.setHeader('set-cookie', ['a=1', 'b=2']);
      res.end('é'.repeat(100_000));
    });
    client = new HttpClient({ connections: 2, timeoutMs: 2000 });
    const kept = await client.send(target.url, { method: 'GET', path: '/', readBody: true });
    const dropped = await client.send(target.url, { method: 'GET', path: '/' });
    assert.ok(kept.ok && dropped.ok);
    assert.equal(kept.status, 200);
    assert.equal(kept.headers['x-version'], '7');
    assert.deepEqual(kept.headers['set-cookie'], ['a=1', 'b=2']);
    assert.equal(kept.body, 'é'.repeat(100_000));
    assert.equal(dropped.body, '');
  });

  it('times out requests still waiting for a connection at their own deadline (tolerance +150 ms)', async () => {
    target = await httpTarget(() => undefined); // never answers
    client = new HttpClient({ connections: 1, timeoutMs: 300 });
    const started = performance.now();
    const results = await Promise.all(
      Array.from({ length: 3 }, () =>
        client
          ?.send(target?.url ?? '', { method: 'GET', path: '/' })
          .then((r) => ({ r, at: performance.now() })),
      ),
    );
    for (const result of results) {
      assert.deepEqual(result?.r, { ok: false, error: 'TIMEOUT' });
      const waited = (result?.at ?? 0) - started;
      assert.ok(waited >= 290 && waited < 450, `timed out after ${waited.toFixed(0)} ms`);
    }
  });
});
