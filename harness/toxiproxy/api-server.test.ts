/**
 * The Toxiproxy 2.12 HTTP API, server and proxy routes, as the real server answers them (api.go,
 * proxy_collection.go, proxy.go). Toxic routes are in api-toxics.test.ts.
 */
import assert from 'node:assert/strict';
import { type Latency, Toxiproxy } from 'toxiproxy-node-client';
import {
  ApiFixture,
  assertApiError,
  assertRefused,
  freePort,
  type ProxyJson,
  proxyJson,
} from '../../test/helpers/api.ts';
import { awaitClose, readBytes } from '../../test/helpers/tcp.ts';

/** hlog.RequestIDHandler tags each routed response with an rs/xid: 20 base32hex characters. */
const REQUEST_ID = /^[0-9a-v]{20}$/;
const BROWSER = { 'User-Agent': 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0' };

describe('Toxiproxy API', () => {
  const api = new ApiFixture();
  let upstream = '';
  beforeEach(async () => {
    await api.start();
    upstream = api.echo.address;
  });
  afterEach(() => api.close());

  describe('GET /version', () => {
    it('answers {"version": "2.12.0"} and a newline, as application/json;charset=utf-8', async () => {
      const reply = await api.call('GET', '/version');
      assert.equal(reply.status, 200);
      assert.equal(reply.type, 'application/json;charset=utf-8');
      assert.equal(reply.text, '{"version": "2.12.0"}\n');
    });
  });

  describe('routing', () => {
    it('tags every routed response, errors included, with its own X-Toxiproxy-Request-Id', async () => {
      const ok = await api.call('GET', '/version');
      const failed = await api.call('GET', '/proxies/nope');
      assert.match(ok.headers.get('x-toxiproxy-request-id') ?? '', REQUEST_ID);
      assert.match(failed.headers.get('x-toxiproxy-request-id') ?? '', REQUEST_ID);
      assert.notEqual(ok.headers.get('x-toxiproxy-request-id'), failed.headers.get('x-toxiproxy-request-id'));
    });

    it("answers an unknown path with Go's plain-text 404", async () => {
      for (const path of ['/nope', '/proxies/', '/proxies/p/toxics/t/extra']) {
        const reply = await api.call('GET', path);
        assert.equal(reply.status, 404, path);
        assert.equal(reply.type, 'text/plain; charset=utf-8');
        assert.equal(reply.headers.get('x-content-type-options'), 'nosniff');
        assert.equal(reply.text, '404 page not found\n');
        assert.equal(reply.headers.get('x-toxiproxy-request-id'), null);
      }
    });

    it('answers a known path with the wrong method with an empty 405', async () => {
      const calls = [
        ['PUT', '/proxies'],
        ['GET', '/reset'],
        ['DELETE', '/version'],
        ['PATCH', '/proxies/p/toxics'],
      ];
      for (const [method, path] of calls) {
        const reply = await api.call(method as string, path as string);
        assert.equal(reply.status, 405, `${method} ${path}`);
        assert.equal(reply.type, null);
        assert.equal(reply.text, '');
      }
    });

    it('refuses browsers (User-Agent: Mozilla/...) with 403 on every route, but not on unknown paths', async () => {
      const reply = await api.call(
        'POST',
        '/proxies',
        { name: 'p', listen: '127.0.0.1:0', upstream },
        BROWSER,
      );
      assert.equal(reply.status, 403);
      assert.equal(reply.type, 'text/plain; charset=utf-8');
      assert.equal(reply.text, 'User agent not allowed\n');
      assert.equal((await api.call('GET', '/version', undefined, BROWSER)).status, 403);
      assert.deepEqual(await api.json('GET', '/proxies'), {});
      // gorilla/mux runs middleware only for a matched route.
      assert.equal((await api.call('GET', '/nope', undefined, BROWSER)).status, 404);
    });
  });

  describe('POST /proxies', () => {
    it('creates and starts a proxy: 201 with the resolved listen address and no toxics', async () => {
      const reply = await api.call('POST', '/proxies', { name: 'p', listen: '127.0.0.1:0', upstream });
      assert.equal(reply.status, 201);
      assert.equal(reply.type, 'application/json');
      const { listen } = JSON.parse(reply.text) as ProxyJson;
      assert.match(listen, /^127\.0\.0\.1:[1-9]\d*$/);
      // Field order and the empty "Logger" are Go's marshalling of proxyToxics{*Proxy, Toxics}.
      assert.equal(reply.text, JSON.stringify(proxyJson('p', listen, upstream)));
      await api.roundTrip(listen);
    });

    it('answers 409 "proxy already exists" for a taken name', async () => {
      await api.createProxy('p');
      const reply = await api.call('POST', '/proxies', { name: 'p', listen: '127.0.0.1:0', upstream });
      assertApiError(reply, 409, 'proxy already exists');
    });

    it('requires a name, then an upstream: 400 "missing required field: ..."', async () => {
      assertApiError(await api.call('POST', '/proxies', {}), 400, 'missing required field: name');
      assertApiError(await api.call('POST', '/proxies', { upstream }), 400, 'missing required field: name');
      const noUpstream = { name: 'p', listen: '127.0.0.1:0' };
      assertApiError(await api.call('POST', '/proxies', noUpstream), 400, 'missing required field: upstream');
    });

    it('rejects a body that is not JSON: 400 "bad request body: ..."', async () => {
      assertApiError(await api.call('POST', '/proxies', ''), 400, 'bad request body: EOF');
      assertApiError(
        await api.call('POST', '/proxies', '{"name": '),
        400,
        'bad request body: unexpected EOF',
      );
      assertApiError(await api.call('POST', '/proxies', 'not json'), 400, /^bad request body: /);
    });

    it("rejects fields of the wrong JSON type with Go's unmarshal error", async () => {
      assertApiError(
        await api.call('POST', '/proxies', { name: 7, upstream }),
        400,
        'bad request body: json: cannot unmarshal number into Go struct field Proxy.name of type string',
      );
      assertApiError(
        await api.call('POST', '/proxies', { name: 'p', upstream, enabled: 'yes' }),
        400,
        'bad request body: json: cannot unmarshal string into Go struct field Proxy.enabled of type bool',
      );
      assert.deepEqual(await api.json('GET', '/proxies'), {});
    });

    it('with enabled:false, creates the proxy without listening (listen kept as given)', async () => {
      const listen = `127.0.0.1:${await freePort()}`;
      const proxy = await api.json('POST', '/proxies', { name: 'p', listen, upstream, enabled: false }, 201);
      assert.deepEqual(proxy, proxyJson('p', listen, upstream, false));
      await assertRefused(listen);
    });

    it("answers 500 with Go's bind error when the listen address is taken, creating nothing", async () => {
      const taken = await api.listen();
      const reply = await api.call('POST', '/proxies', { name: 'p', listen: taken.address, upstream });
      assertApiError(reply, 500, `listen tcp ${taken.address}: bind: address already in use`);
      assertApiError(await api.call('GET', '/proxies/p'), 404, 'proxy not found');
    });

    it("answers 500 with Go's address error for a listen address without a port", async () => {
      const reply = await api.call('POST', '/proxies', { name: 'p', listen: 'foo', upstream });
      assertApiError(reply, 500, 'listen tcp: address foo: missing port in address');
    });
  });

  describe('GET /proxies and /proxies/{proxy}', () => {
    it('lists proxies as an object keyed by name (sorted, as Go marshals a map)', async () => {
      assert.equal((await api.call('GET', '/proxies')).text, '{}');
      const b = await api.createProxy('b');
      const a = await api.createProxy('a');
      const reply = await api.call('GET', '/proxies');
      assert.equal(reply.type, 'application/json');
      assert.equal(reply.text, JSON.stringify({ a, b }));
    });

    it('shows one proxy, or 404 "proxy not found"', async () => {
      const proxy = await api.createProxy('p');
      assert.deepEqual(await api.json('GET', '/proxies/p'), proxy);
      assertApiError(await api.call('GET', '/proxies/nope'), 404, 'proxy not found');
    });
  });

  describe('DELETE /proxies/{proxy}', () => {
    it('answers 204, closes the listener and open connections; then 404', async () => {
      const proxy = await api.createProxy('p');
      const closed = awaitClose(await api.connect(proxy.listen));
      const reply = await api.call('DELETE', '/proxies/p');
      assert.equal(reply.status, 204);
      assert.equal(reply.text, '');
      await closed;
      await assertRefused(proxy.listen);
      assertApiError(await api.call('GET', '/proxies/p'), 404, 'proxy not found');
      assertApiError(await api.call('DELETE', '/proxies/p'), 404, 'proxy not found');
    });
  });

  describe('PATCH /proxies/{proxy}', () => {
    it('points the proxy at a new upstream, on the same listen address', async () => {
      const a = await api.listen((socket) => socket.end('A'));
      const b = await api.listen((socket) => socket.end('B'));
      const proxy = await api.createProxy('p', a.address);
      assert.equal((await awaitClose(await api.connect(proxy.listen))).data.toString(), 'A');
      const updated = await api.json('PATCH', '/proxies/p', { upstream: b.address });
      assert.deepEqual(updated, proxyJson('p', proxy.listen, b.address));
      assert.equal((await awaitClose(await api.connect(proxy.listen))).data.toString(), 'B');
    });

    it('with enabled:false closes open connections and refuses new ones; enabled:true listens again', async () => {
      const proxy = await api.createProxy('p');
      const client = await api.connect(proxy.listen);
      client.write('ping');
      await readBytes(client, 4);
      const closed = awaitClose(client);
      const disabled = await api.json('PATCH', '/proxies/p', { enabled: false });
      assert.deepEqual(disabled, proxyJson('p', proxy.listen, upstream, false));
      await closed;
      await assertRefused(proxy.listen);
      const enabled = await api.json('PATCH', '/proxies/p', { enabled: true });
      assert.deepEqual(enabled, proxyJson('p', proxy.listen, upstream, true));
      await api.roundTrip(proxy.listen);
    });

    it('also accepts POST (deprecated in 2.6, still served)', async () => {
      const proxy = await api.createProxy('p');
      const disabled = await api.json('POST', '/proxies/p', { enabled: false });
      assert.deepEqual(disabled, proxyJson('p', proxy.listen, upstream, false));
    });

    it('answers 404 for an unknown proxy and 400 for a bad body', async () => {
      assertApiError(await api.call('PATCH', '/proxies/nope', { enabled: false }), 404, 'proxy not found');
      await api.createProxy('p');
      assertApiError(await api.call('PATCH', '/proxies/p', ''), 400, 'bad request body: EOF');
      assertApiError(
        await api.call('PATCH', '/proxies/p', { enabled: 'no' }),
        400,
        'bad request body: json: cannot unmarshal string into Go struct field Proxy.enabled of type bool',
      );
    });
  });

  describe('POST /populate', () => {
    it('creates the listed proxies: 201 {"proxies":[...]} in request order', async () => {
      const off = `127.0.0.1:${await freePort()}`;
      const reply = await api.call('POST', '/populate', [
        { name: 'b', listen: '127.0.0.1:0', upstream },
        { name: 'a', listen: off, upstream, enabled: false },
      ]);
      assert.equal(reply.status, 201);
      assert.equal(reply.type, 'application/json');
      const body = JSON.parse(reply.text) as { proxies: ProxyJson[] };
      const listen = body.proxies[0]?.listen as string;
      assert.deepEqual(body, {
        proxies: [proxyJson('b', listen, upstream), proxyJson('a', off, upstream, false)],
      });
      await api.roundTrip(listen);
      await assertRefused(off);
    });

    it('validates every entry before creating any', async () => {
      const reply = await api.call('POST', '/populate', [
        { name: 'ok', listen: '127.0.0.1:0', upstream },
        { name: 'bad', listen: '127.0.0.1:0' },
      ]);
      // Populate reports errors in its own JSON body, not through http.Error.
      assert.equal(reply.status, 400);
      assert.equal(reply.type, 'application/json');
      assert.equal(
        reply.text,
        '{"error":"missing required field: upstream at proxy 2","status":400,"proxies":null}',
      );
      assert.deepEqual(await api.json('GET', '/proxies'), {});
    });

    it('keeps an unchanged proxy as it is, toxics included, and replaces a changed one', async () => {
      const same = await api.createProxy('same');
      const moved = await api.createProxy('moved');
      for (const name of ['same', 'moved'])
        await api.json('POST', `/proxies/${name}/toxics`, { type: 'latency' });
      const other = await api.listen();
      const { proxies } = await api.json<{ proxies: ProxyJson[] }>(
        'POST',
        '/populate',
        [
          { name: 'same', listen: same.listen, upstream },
          { name: 'moved', listen: moved.listen, upstream: other.address },
        ],
        201,
      );
      assert.deepEqual(proxies[0], await api.json('GET', '/proxies/same'));
      assert.equal(proxies[0]?.toxics.length, 1);
      assert.deepEqual(proxies[1], proxyJson('moved', moved.listen, other.address));
    });

    it('stops at the first proxy that fails to listen, reporting those already created', async () => {
      const reply = await api.call('POST', '/populate', [
        { name: 'ok', listen: '127.0.0.1:0', upstream },
        { name: 'bad', listen: 'foo', upstream },
        { name: 'never', listen: '127.0.0.1:0', upstream },
      ]);
      assert.equal(reply.status, 500);
      const body = JSON.parse(reply.text) as { proxies: ProxyJson[] };
      const ok = proxyJson('ok', body.proxies[0]?.listen as string, upstream);
      assert.deepEqual(body, {
        error: 'listen tcp: address foo: missing port in address',
        status: 500,
        proxies: [ok],
      });
      assert.deepEqual(await api.json('GET', '/proxies'), { ok });
    });

    it('answers {"proxies":null} for an empty list (or null), and 400 for a body that is no list', async () => {
      for (const empty of ['[]', 'null']) {
        const reply = await api.call('POST', '/populate', empty);
        assert.equal(reply.status, 201);
        assert.equal(reply.text, '{"proxies":null}');
      }
      const reply = await api.call('POST', '/populate', { name: 'p', upstream });
      assert.equal(reply.status, 400);
      const type = '[]struct { toxiproxy.Proxy; Enabled *bool "json:\\"enabled\\"" }';
      const error = `bad request body: json: cannot unmarshal object into Go value of type ${type}`;
      assert.deepEqual(JSON.parse(reply.text), { error, status: 400, proxies: null });
    });
  });

  describe('POST /reset', () => {
    it('re-enables every proxy and removes every toxic: 204', async () => {
      const a = await api.createProxy('a');
      const b = await api.createProxy('b');
      await api.json('POST', '/proxies/a/toxics', { type: 'timeout', attributes: { timeout: 0 } });
      await api.json('PATCH', '/proxies/b', { enabled: false });
      const reply = await api.call('POST', '/reset');
      assert.equal(reply.status, 204);
      assert.equal(reply.text, '');
      const all = await api.json('GET', '/proxies');
      assert.deepEqual(all, { a: proxyJson('a', a.listen, upstream), b: proxyJson('b', b.listen, upstream) });
      await api.roundTrip(a.listen);
      await api.roundTrip(b.listen);
    });
  });

  describe('through toxiproxy-node-client', () => {
    it('creates, poisons, heals, disables, populates and resets proxies', async () => {
      const client = new Toxiproxy(api.url);
      assert.equal(await client.getVersion(), '{"version": "2.12.0"}\n');
      const proxy = await client.createProxy({ name: 'e2e', listen: '127.0.0.1:0', upstream });
      assert.deepEqual(proxy.toJson(), { enabled: true, listen: proxy.listen, name: 'e2e', upstream });
      await assert.rejects(client.createProxy({ name: 'e2e', listen: '127.0.0.1:0', upstream }), {
        message: 'Request failed with status code 409',
      });

      const attributes: Latency = { latency: 200, jitter: 0 };
      const toxic = await proxy.addToxic<Latency>({
        ...{ name: 'lag', type: 'latency', stream: 'downstream', toxicity: 1 },
        attributes,
      });
      assert.deepEqual(toxic.toJson(), {
        attributes,
        name: 'lag',
        stream: 'downstream',
        toxicity: 1,
        type: 'latency',
      });
      const started = Date.now();
      await api.roundTrip(proxy.listen);
      assert.ok(Date.now() - started >= 190, 'the latency toxic delays the echo');

      const updated = await toxic.update({
        ...toxic.toJson(),
        toxicity: 0.5,
        attributes: { latency: 5, jitter: 0 },
      });
      assert.deepEqual(updated.attributes, { latency: 5, jitter: 0 });
      assert.equal(updated.toxicity, 0.5);
      await updated.remove();
      await assert.rejects(proxy.getToxic('lag'), { message: 'Request failed with status code 404' });

      const down = await proxy.update({ enabled: false, listen: proxy.listen, upstream });
      assert.equal(down.enabled, false);
      await assertRefused(proxy.listen);

      const populated = await client.populate([
        { name: 'e2e', listen: proxy.listen, upstream },
        { name: 'more', listen: '127.0.0.1:0', upstream },
      ]);
      assert.deepEqual(Object.keys(populated), ['e2e', 'more']);
      assert.equal(populated.e2e?.enabled, false, 'unchanged, so kept as it was');

      await client.reset();
      const all = await client.getAll();
      assert.deepEqual(
        Object.values(all).map((p) => [p.name, p.enabled]),
        [
          ['e2e', true],
          ['more', true],
        ],
      );
      await api.roundTrip(proxy.listen);
      await all.more?.remove();
      await assert.rejects(client.get('more'), { message: 'Request failed with status code 404' });
    });
  });
});
