/**
 * The Toxiproxy 2.12 HTTP API, toxic routes, as the real server answers them (api.go,
 * toxic_collection.go, toxics/*.go). Server and proxy routes are in api-server.test.ts.
 */
import assert from 'node:assert/strict';
import { ApiFixture, assertApiError, type ProxyJson } from '../../test/helpers/api.ts';

interface ToxicJson {
  attributes: Record<string, number>;
  name: string;
  type: string;
  stream: string;
  toxicity: number;
}

const toxics = '/proxies/p/toxics';

describe('Toxiproxy API: toxics', () => {
  const api = new ApiFixture();
  beforeEach(async () => {
    await api.start();
    await api.createProxy('p');
  });
  afterEach(() => api.close());

  const add = (body: object) => api.json<ToxicJson>('POST', toxics, body);

  describe('POST /proxies/{proxy}/toxics', () => {
    it('adds a toxic: 200 (not 201) with attributes, name, type, stream and toxicity', async () => {
      const reply = await api.call('POST', toxics, {
        ...{ name: 'lag', type: 'latency', stream: 'upstream', toxicity: 0.5 },
        attributes: { latency: 100, jitter: 10 },
      });
      assert.equal(reply.status, 200);
      assert.equal(reply.type, 'application/json');
      assert.equal(
        reply.text,
        '{"attributes":{"latency":100,"jitter":10},"name":"lag","type":"latency","stream":"upstream","toxicity":0.5}',
      );
    });

    it('defaults to stream downstream, toxicity 1, zero attributes and the name <type>_<stream>', async () => {
      assert.deepEqual(await add({ type: 'latency' }), {
        ...{ attributes: { latency: 0, jitter: 0 }, name: 'latency_downstream' },
        ...{ type: 'latency', stream: 'downstream', toxicity: 1 },
      });
      // The stream is matched case-insensitively, but echoed (and named) as sent.
      assert.deepEqual(await add({ type: 'timeout', stream: 'UpStream', toxicity: 0 }), {
        ...{ attributes: { timeout: 0 }, name: 'timeout_UpStream' },
        ...{ type: 'timeout', stream: 'UpStream', toxicity: 0 },
      });
    });

    it('knows every toxic type of Toxiproxy 2.12, with its attributes', async () => {
      const types = {
        noop: {},
        latency: { latency: 1, jitter: 2 },
        bandwidth: { rate: 3 },
        slow_close: { delay: 4 },
        timeout: { timeout: 5 },
        reset_peer: { timeout: 6 },
        slicer: { average_size: 7, size_variation: 1, delay: 8 },
        limit_data: { bytes: 9 },
      };
      for (const [type, attributes] of Object.entries(types)) {
        assert.deepEqual((await add({ type, attributes })).attributes, attributes, type);
      }
    });

    it('rejects an unknown or missing type: 400 "invalid toxic type"', async () => {
      assertApiError(await api.call('POST', toxics, { type: 'down' }), 400, 'invalid toxic type');
      assertApiError(await api.call('POST', toxics, { name: 't' }), 400, 'invalid toxic type');
    });

    it('rejects a stream other than upstream or downstream, before looking at the type', async () => {
      const reply = await api.call('POST', toxics, { type: 'nope', stream: 'sideways' });
      assertApiError(reply, 400, 'stream was invalid, can be either upstream or downstream');
    });

    it('answers 409 "toxic already exists" for a taken name, whatever the stream', async () => {
      await add({ name: 'x', type: 'latency', stream: 'upstream' });
      const clash = await api.call('POST', toxics, { name: 'x', type: 'timeout', stream: 'downstream' });
      assertApiError(clash, 409, 'toxic already exists');
      await add({ type: 'latency' });
      assertApiError(await api.call('POST', toxics, { type: 'latency' }), 409, 'toxic already exists');
    });

    it('answers 404 "proxy not found" for an unknown proxy', async () => {
      const reply = await api.call('POST', '/proxies/nope/toxics', { type: 'latency' });
      assertApiError(reply, 404, 'proxy not found');
    });

    it("rejects values of the wrong JSON type with Go's unmarshal error", async () => {
      const cases: [object, string][] = [
        [
          { attributes: { latency: '100ms' } },
          'string into Go struct field LatencyToxic.attributes.latency of type int64',
        ],
        [
          { attributes: { latency: 1.5 } },
          'number 1.5 into Go struct field LatencyToxic.attributes.latency of type int64',
        ],
        [{ toxicity: 'all' }, 'string into Go struct field ToxicWrapper.toxicity of type float32'],
      ];
      for (const [body, error] of cases) {
        const reply = await api.call('POST', toxics, { type: 'latency', ...body });
        assertApiError(reply, 400, `bad request body: json: cannot unmarshal ${error}`);
      }
      assert.deepEqual(await api.json('GET', toxics), []);
    });

    it('refuses only attributes that would crash or hang the real server, with 400', async () => {
      const crashing: [string, Record<string, number>, string][] = [
        ['bandwidth', { rate: -1 }, 'bandwidth: rate must not be negative'],
        ['bandwidth', { rate: 92233720368547760 }, 'bandwidth: rate must be at most 92233720368547758 KB/s'],
        ['latency', { jitter: 2 ** 62 }, 'latency: jitter must be below 4611686018427387904 ms'],
        ['slicer', { average_size: 0 }, 'slicer: average_size must be positive'],
        ['slicer', { average_size: -8, size_variation: -9 }, 'slicer: average_size must be positive'],
        [
          'slicer',
          { average_size: 400, size_variation: 401 },
          'slicer: size_variation must not exceed average_size',
        ],
        [
          'slicer',
          { average_size: 400, size_variation: -400 },
          'slicer: average_size + size_variation must be positive',
        ],
      ];
      for (const [type, attributes, reason] of crashing) {
        assertApiError(
          await api.call('POST', toxics, { type, attributes }),
          400,
          `bad request body: ${reason}`,
        );
      }
      assert.deepEqual(await api.json('GET', toxics), []);
    });

    it('accepts what the real server handles: slicer size_variation up to average_size, or negative', async () => {
      for (const size_variation of [400, 0, -5, -399]) {
        const attributes = { average_size: 400, size_variation, delay: 0 };
        const toxic = await add({ name: `s${size_variation}`, type: 'slicer', attributes });
        assert.deepEqual(toxic.attributes, attributes);
      }
      const edge = { rate: '92233720368547758', jitter: '4611686018427387903' };
      assert.equal(
        (await api.call('POST', toxics, { type: 'bandwidth', attributes: { rate: 0 } })).status,
        200,
      );
      assert.equal(
        (await api.call('POST', toxics, { type: 'latency', attributes: { jitter: -1 } })).status,
        200,
      );
      const bodies = [
        `{"type":"bandwidth","stream":"upstream","attributes":{"rate":${edge.rate}}}`,
        `{"type":"latency","stream":"upstream","attributes":{"jitter":${edge.jitter}}}`,
      ];
      for (const body of bodies) assert.equal((await api.call('POST', toxics, body)).status, 200, body);
    });
  });

  describe('GET /proxies/{proxy}/toxics and /toxics/{toxic}', () => {
    it('lists the upstream chain, then the downstream chain, each in the order added', async () => {
      assert.equal((await api.call('GET', toxics)).text, '[]');
      for (const [name, stream] of [
        ['d1', 'downstream'],
        ['u1', 'upstream'],
        ['d2', 'downstream'],
        ['u2', 'upstream'],
      ]) {
        await add({ name, stream, type: 'latency' });
      }
      const list = await api.json<ToxicJson[]>('GET', toxics);
      assert.deepEqual(
        list.map((t) => t.name),
        ['u1', 'u2', 'd1', 'd2'],
      );
      assert.deepEqual((await api.json<ProxyJson>('GET', '/proxies/p')).toxics, list);
    });

    it('shows one toxic, or 404 "toxic not found" / "proxy not found"', async () => {
      const toxic = await add({ name: 'lag', type: 'latency', attributes: { latency: 10 } });
      assert.deepEqual(await api.json('GET', `${toxics}/lag`), toxic);
      assertApiError(await api.call('GET', `${toxics}/nope`), 404, 'toxic not found');
      assertApiError(await api.call('GET', '/proxies/nope/toxics/lag'), 404, 'proxy not found');
      assertApiError(await api.call('GET', '/proxies/nope/toxics'), 404, 'proxy not found');
    });
  });

  describe('PATCH /proxies/{proxy}/toxics/{toxic}', () => {
    it('merges attributes and toxicity; values not sent are kept, name/type/stream never change', async () => {
      await add({ name: 'lag', type: 'latency', attributes: { latency: 100, jitter: 10 } });
      const lag = { name: 'lag', type: 'latency', stream: 'downstream' };
      const faster = await api.json('PATCH', `${toxics}/lag`, {
        attributes: { latency: 1000 },
        toxicity: 0.5,
      });
      assert.deepEqual(faster, { attributes: { latency: 1000, jitter: 10 }, ...lag, toxicity: 0.5 });
      const steady = await api.json('PATCH', `${toxics}/lag`, { attributes: { jitter: 0 } });
      assert.deepEqual(steady, { attributes: { latency: 1000, jitter: 0 }, ...lag, toxicity: 0.5 });
      // POST is the deprecated alias; fields other than attributes and toxicity are ignored.
      const same = await api.json('POST', `${toxics}/lag`, {
        name: 'other',
        type: 'timeout',
        stream: 'upstream',
      });
      assert.deepEqual(same, steady);
      assert.deepEqual(await api.json('GET', `${toxics}/lag`), steady);
    });

    it('answers 404 "toxic not found" / "proxy not found"', async () => {
      assertApiError(await api.call('PATCH', `${toxics}/nope`, { toxicity: 1 }), 404, 'toxic not found');
      assertApiError(
        await api.call('PATCH', '/proxies/nope/toxics/x', { toxicity: 1 }),
        404,
        'proxy not found',
      );
    });

    it('rejects values of the wrong type with 400, leaving the toxic as it was', async () => {
      const toxic = await add({ name: 'lag', type: 'latency', attributes: { latency: 100 } });
      assertApiError(
        await api.call('PATCH', `${toxics}/lag`, { attributes: { latency: 'slow' } }),
        400,
        'bad request body: json: cannot unmarshal string into Go struct field LatencyToxic.attributes.latency of type int64',
      );
      // The update decodes into an anonymous struct, hence Go's empty struct name.
      assertApiError(
        await api.call('PATCH', `${toxics}/lag`, { toxicity: 'half' }),
        400,
        'bad request body: json: cannot unmarshal string into Go struct field .toxicity of type float32',
      );
      await add({ name: 'bw', type: 'bandwidth', attributes: { rate: 10 } });
      const negative = await api.call('PATCH', `${toxics}/bw`, { attributes: { rate: -1 } });
      assertApiError(negative, 400, /^bad request body: /);
      assert.deepEqual(await api.json('GET', `${toxics}/lag`), toxic);
      assert.deepEqual((await api.json<ToxicJson>('GET', `${toxics}/bw`)).attributes, { rate: 10 });
    });
  });

  describe('DELETE /proxies/{proxy}/toxics/{toxic}', () => {
    it('removes the toxic: 204, then 404 "toxic not found"', async () => {
      await add({ name: 'lag', type: 'latency' });
      const reply = await api.call('DELETE', `${toxics}/lag`);
      assert.equal(reply.status, 204);
      assert.equal(reply.text, '');
      assert.deepEqual(await api.json('GET', toxics), []);
      assertApiError(await api.call('GET', `${toxics}/lag`), 404, 'toxic not found');
      assertApiError(await api.call('DELETE', `${toxics}/lag`), 404, 'toxic not found');
      assertApiError(await api.call('DELETE', '/proxies/nope/toxics/lag'), 404, 'proxy not found');
    });
  });
});
