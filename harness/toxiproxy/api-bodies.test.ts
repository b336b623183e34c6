/**
 * Request bodies on every route that reads one (proxy create and update, populate, toxic create and
 * update) are decoded as Toxiproxy 2.12 decodes them: json.NewDecoder(body).Decode into its structs,
 * so the same bodies are accepted, the same values kept, and the same errors answered, word for word.
 */
import assert from 'node:assert/strict';
import { ApiFixture, assertApiError, type ProxyJson } from '../../test/helpers/api.ts';

const toxics = '/proxies/p/toxics';
const badBody = (error: string) => `bad request body: ${error}`;
const cannot = (error: string) => badBody(`json: cannot unmarshal ${error}`);

describe('Toxiproxy API: request bodies, decoded as Go decodes them', () => {
  const api = new ApiFixture();
  let upstream = '';
  beforeEach(async () => {
    await api.start();
    upstream = api.echo.address;
  });
  afterEach(() => api.close());

  /** A raw body, sent as is. */
  const send = (method: string, path: string, text: string) => api.call(method, path, text);

  describe('only the first JSON value is read; what follows is ignored', () => {
    it('on every route: create, update, populate, add and change a toxic', async () => {
      const proxy = `{"name":"p","listen":"127.0.0.1:0","upstream":"${upstream}"}`;
      assert.equal((await send('POST', '/proxies', `${proxy}garbage`)).status, 201);
      const patched = await send('PATCH', '/proxies/p', '{"enabled":false}{"enabled":true}');
      assert.equal((JSON.parse(patched.text) as ProxyJson).enabled, false);
      const populated = await send('POST', '/populate', `[${proxy.replace('"p"', '"q"')}] trailing`);
      assert.equal(populated.status, 201);
      const added = await send('POST', toxics, '{"type":"latency","attributes":{"latency":5}}}}');
      assert.equal(added.status, 200, added.text);
      const changed = await send('PATCH', `${toxics}/latency_downstream`, '{"toxicity":0.5} x');
      assert.equal(changed.status, 200, changed.text);
      assert.equal(JSON.parse(changed.text).toxicity, 0.5);
    });
  });

  describe('syntax errors', () => {
    it("answer 400 with Go's text, naming the character and where it was", async () => {
      await api.createProxy('p');
      await api.json('POST', toxics, { name: 'lag', type: 'latency' });
      const cases: [string, string, string][] = [
        ['POST', '/proxies', 'not json'],
        ['POST', '/proxies', '{"name" "p"}'],
        ['PATCH', '/proxies/p', '{"enabled":false,}'],
        ['POST', '/populate', '[{"name":"a"} {"name":"b"}]'],
        ['POST', toxics, '{"type":"latency","attributes":{"latency":1.}}'],
        ['PATCH', `${toxics}/lag`, "{'toxicity':1}"],
      ];
      const errors = [
        "invalid character 'o' in literal null (expecting 'u')",
        `invalid character '"' after object key`,
        "invalid character '}' looking for beginning of object key string",
        "invalid character '{' after array element",
        "invalid character '}' after decimal point in numeric literal",
        "invalid character '\\'' looking for beginning of object key string",
      ];
      for (const [i, [method, path, text]] of cases.entries()) {
        const reply = await send(method, path, text);
        const error = badBody(errors[i] as string);
        if (path === '/populate') {
          assert.equal(reply.status, 400);
          assert.deepEqual(JSON.parse(reply.text), { error, status: 400, proxies: null });
        } else {
          assertApiError(reply, 400, error);
        }
      }
    });
  });

  describe('an update of an unknown proxy or toxic', () => {
    it('answers 404 without reading the body, as the real server looks it up first', async () => {
      assertApiError(await send('PATCH', '/proxies/nope', 'garbage'), 404, 'proxy not found');
      await api.createProxy('p');
      assertApiError(await send('POST', `${toxics}/nope`, '{"toxicity":'), 404, 'toxic not found');
    });
  });

  describe('type errors', () => {
    it('name the Go type: "Go value of type toxiproxy.Proxy" for a body that is no object', async () => {
      assertApiError(
        await send('POST', '/proxies', '[]'),
        400,
        cannot('array into Go value of type toxiproxy.Proxy'),
      );
      await api.createProxy('p');
      assertApiError(
        await send('PATCH', '/proxies/p', '"p"'),
        400,
        cannot('string into Go value of type toxiproxy.Proxy'),
      );
      assertApiError(
        await send('POST', toxics, '7'),
        400,
        cannot('number into Go value of type toxics.ToxicWrapper'),
      );
      await api.json('POST', toxics, { type: 'latency' });
      const update =
        'struct { Attributes interface {} "json:\\"attributes\\""; Toxicity float32 "json:\\"toxicity\\"" }';
      const reply = await send('PATCH', `${toxics}/latency_downstream`, 'true');
      assertApiError(reply, 400, cannot(`bool into Go value of type ${update}`));
    });

    it("Proxy's exported Logger field is decoded too: an object or null passes, anything else is refused", async () => {
      const body = { name: 'p', listen: '127.0.0.1:0', upstream };
      assert.equal((await api.call('POST', '/proxies', { ...body, logger: { level: 1 } })).status, 201);
      assert.equal((await api.call('PATCH', '/proxies/p', { Logger: null })).status, 200);
      assertApiError(
        await api.call('POST', '/proxies', { ...body, name: 'q', Logger: 'debug' }),
        400,
        cannot('string into Go struct field Proxy.Logger of type zerolog.Logger'),
      );
    });

    it('in populate, report the embedded Proxy in the field path; any type error wins over a missing field', async () => {
      const entry = 'struct { toxiproxy.Proxy; Enabled *bool "json:\\"enabled\\"" }';
      const cases: [unknown, string][] = [
        [[{ name: 5 }], 'number into Go struct field .Proxy.name of type string'],
        [[{ name: 'a', upstream, enabled: 'yes' }], 'string into Go struct field .enabled of type bool'],
        [[5], `number into Go value of type ${entry}`],
        [
          [{ name: 'a' }, { name: 'b', upstream, listen: 80 }],
          'number into Go struct field .Proxy.listen of type string',
        ],
      ];
      for (const [body, error] of cases) {
        const reply = await api.call('POST', '/populate', body);
        assert.equal(reply.status, 400);
        assert.deepEqual(JSON.parse(reply.text), { error: cannot(error), status: 400, proxies: null });
      }
    });

    it('on a toxic create, attributes of the wrong JSON type fail before the type is even looked at', async () => {
      await api.createProxy('p');
      const noop = 'Go struct field ToxicWrapper.attributes of type toxics.NoopToxic';
      assertApiError(
        await api.call('POST', toxics, { type: 'latency', attributes: 5 }),
        400,
        cannot(`number into ${noop}`),
      );
      assertApiError(
        await api.call('POST', toxics, { type: 'nope', attributes: [] }),
        400,
        cannot(`array into ${noop}`),
      );
      assert.equal((await api.call('POST', toxics, { type: 'latency', attributes: null })).status, 200);
    });

    it('on a toxic update, attributes of the wrong JSON type name the toxic struct', async () => {
      await api.createProxy('p');
      await api.json('POST', toxics, { name: 'lag', type: 'latency' });
      const reply = await api.call('PATCH', `${toxics}/lag`, { attributes: 'fast' });
      assertApiError(
        reply,
        400,
        cannot('string into Go struct field .attributes of type toxics.LatencyToxic'),
      );
      // The first error in the body is the one reported, toxicity included.
      const both = await send('PATCH', `${toxics}/lag`, '{"toxicity":"x","attributes":{"latency":"y"}}');
      assertApiError(both, 400, cannot('string into Go struct field .toxicity of type float32'));
    });
  });

  describe('ProxyUpdate requires nothing', () => {
    it('an empty name or upstream is no "missing required field": the name is ignored', async () => {
      const proxy = await api.createProxy('p');
      const renamed = await api.json<ProxyJson>('PATCH', '/proxies/p', { name: '' });
      assert.deepEqual(renamed, proxy);
    });
  });

  describe('numbers', () => {
    beforeEach(() => api.createProxy('p'));
    const latency = (value: string) =>
      send('POST', toxics, `{"name":"l","type":"latency","attributes":{"latency":${value}}}`);
    const field = 'Go struct field LatencyToxic.attributes.latency of type int64';

    it('int64 attributes keep any int64 exactly, 2^53 + 1 and the extremes included, negative too', async () => {
      for (const value of ['9007199254740993', '-5', '9223372036854775807', '-9223372036854775808', '-0']) {
        const reply = await latency(value);
        assert.equal(reply.status, 200, reply.text);
        const shown = value === '-0' ? '0' : value;
        assert.ok(reply.text.startsWith(`{"attributes":{"latency":${shown},"jitter":0},`), reply.text);
        assert.ok((await api.call('GET', `${toxics}/l`)).text.includes(`"latency":${shown},`));
        await api.call('DELETE', `${toxics}/l`);
      }
    });

    it('an int64 attribute written as a fraction, with an exponent or beyond int64 is refused, as written', async () => {
      for (const value of [
        '1.5',
        '1.0',
        '1e3',
        '1E+2',
        '9223372036854775808',
        '-9223372036854775809',
        '1e400',
      ]) {
        assertApiError(await latency(value), 400, cannot(`number ${value} into ${field}`));
      }
      assert.equal((await api.call('GET', toxics)).text, '[]');
    });

    it('on update too, and the toxic stays as it was', async () => {
      await latency('10');
      const reply = await send('PATCH', `${toxics}/l`, '{"attributes":{"jitter":2.50}}');
      assertApiError(
        reply,
        400,
        cannot('number 2.50 into Go struct field LatencyToxic.attributes.jitter of type int64'),
      );
      const big = await send('PATCH', `${toxics}/l`, '{"attributes":{"jitter":4611686018427387903}}');
      assert.ok(big.text.includes('"jitter":4611686018427387903'), big.text);
    });

    it('toxicity is a float32: rounded to one, shown as Go shows it, refused beyond its range', async () => {
      const add = (toxicity: string) => send('POST', toxics, `{"type":"noop","toxicity":${toxicity}}`);
      const reply = await add('0.123456789');
      assert.ok(reply.text.endsWith(',"toxicity":0.12345679}'), reply.text);
      const range = 'Go struct field ToxicWrapper.toxicity of type float32';
      assertApiError(await add('1e39'), 400, cannot(`number 1e39 into ${range}`));
      const update = await send('PATCH', `${toxics}/noop_downstream`, '{"toxicity":-3.5e38}');
      assertApiError(update, 400, cannot('number -3.5e38 into Go struct field .toxicity of type float32'));
    });
  });

  describe('objects', () => {
    it('a repeated "attributes" merges into the same toxic, as Go decodes each member in turn', async () => {
      await api.createProxy('p');
      const body = '{"type":"latency","attributes":{"latency":100},"Attributes":{"jitter":7}}';
      const reply = await send('POST', toxics, body);
      assert.deepEqual(JSON.parse(reply.text).attributes, { latency: 100, jitter: 7 });
      const last = await send(
        'PATCH',
        `${toxics}/latency_downstream`,
        '{"attributes":{"latency":1,"LATENCY":2,"latency":3}}',
      );
      assert.deepEqual(JSON.parse(last.text).attributes, { latency: 3, jitter: 7 });
    });
  });
});
