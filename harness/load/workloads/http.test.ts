import assert from 'node:assert/strict';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type HttpTarget, httpTarget } from '../../../test/helpers/http-target.ts';
import { loadAgainst } from '../../../test/helpers/load.ts';
import { loadSchema } from '../load-spec.ts';

/** What the app got: method, path, the cookie and content type sent, and the body. */
interface Received {
  method: string;
  path: string;
  cookie?: string;
  type?: string;
  body: string;
}

/** A target that records every request with its body; `answer` sets the status and headers. */
async function app(answer: (got: Received, res: ServerResponse) => void = () => {}) {
  const got: Received[] = [];
  const target = await httpTarget((req: IncomingMessage, res) => {
    if (req.method === 'OPTIONS') return void res.end(); // the generator opening its connections
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const r: Received = {
        method: req.method ?? '',
        path: req.url ?? '',
        body: Buffer.concat(chunks).toString(),
        ...(req.headers.cookie ? { cookie: req.headers.cookie } : {}),
        ...(req.headers['content-type'] ? { type: req.headers['content-type'] } : {}),
      };
      got.push(r);
      answer(r, res);
      res.end();
    });
  });
  return { target, got };
}

const constant = (rate: number, duration: string) => ({
  executor: 'constant-arrival-rate' as const,
  rate,
  duration,
});

describe('http workload', function () {
  this.timeout(20_000);
  let target: HttpTarget | undefined;
  afterEach(async () => {
    await target?.close();
    target = undefined;
  });

  it('sends one request per arrival, picked by weight, named "<METHOD> <path as written>"', async () => {
    const recorded = await app();
    target = recorded.target;
    const { samples } = await loadAgainst(target.url, {
      executor: constant(400, '1s'),
      workload: {
        workload: 'http',
        requests: [
          { path: '/items', weight: 3 },
          { method: 'DELETE', path: '/items/old', weight: 1 },
        ],
      },
    });
    assert.equal(samples.length, 400);
    assert.ok(samples.every((s) => s.outcome === 'ok' && s.status === 200));
    const gets = samples.filter((s) => s.request === 'GET /items').length;
    const deletes = samples.filter((s) => s.request === 'DELETE /items/old').length;
    assert.equal(gets + deletes, 400);
    // 3:1 by weight; 400 draws put the share within ±0.07 of 0.75 (more than 3 standard deviations).
    assert.ok(Math.abs(gets / 400 - 0.75) < 0.07, `GET /items ${gets} of 400`);
    assert.equal(
      recorded.got.filter((r) => r.method === 'DELETE' && r.path === '/items/old').length,
      deletes,
    );
    assert.ok(
      recorded.got.every((r) => r.body === '' && r.type === undefined),
      'no body, no content type',
    );
  });

  it('fills {key} in the path and the body from 1..keys, popular keys far more often', async () => {
    const recorded = await app();
    target = recorded.target;
    await loadAgainst(target.url, {
      executor: constant(400, '500ms'),
      workload: {
        workload: 'http',
        requests: [{ method: 'PUT', path: '/items/{key}?v={key}', keys: 20, body: '{"id": {key}}' }],
      },
    });
    assert.equal(recorded.got.length, 200);
    const counts = new Map<number, number>();
    for (const r of recorded.got) {
      const key = Number(r.path.match(/^\/items\/(\d+)\?v=\1$/)?.[1]);
      assert.ok(key >= 1 && key <= 20, r.path);
      assert.equal(r.body, `{"id": ${key}}`, 'the same key in the path and the body');
      assert.equal(r.type, 'application/json', 'a body goes as JSON unless a content-type is given');
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    // Zipf with exponent 1 over 20 keys: key 1 has ~28% of the draws, key 20 ~1.4%.
    const top = Math.max(...counts.values());
    assert.equal(counts.get(1), top, `key 1 is the most popular: ${[...counts]}`);
    assert.ok(top > 35 && counts.size > 10, `${[...counts]}`);
  });

  it('sends the headers given, a content type of its own over the JSON default', async () => {
    const recorded = await app();
    target = recorded.target;
    await loadAgainst(target.url, {
      executor: constant(100, '100ms'),
      workload: {
        workload: 'http',
        requests: [
          {
            method: 'POST',
            path: '/form',
            body: 'a={key}',
            keys: 1,
            headers: { 'Content-Type': 'text/plain' },
          },
        ],
      },
    });
    assert.equal(recorded.got.length, 10);
    assert.ok(recorded.got.every((r) => r.type === 'text/plain' && r.body === 'a=1'));
  });

  it('runs a journey’s steps in order with the arrival’s cookies and one key for all steps', async () => {
    let sessions = 0;
    const recorded = await app((r, res) => {
      if (r.path === '/login') res.setHeader('set-cookie', `sid=${++sessions}; HttpOnly`);
      if (r.path.startsWith('/cart/') && !r.cookie) res.statusCode = 401;
    });
    target = recorded.target;
    const { samples } = await loadAgainst(target.url, {
      executor: constant(100, '300ms'),
      workload: {
        workload: 'http',
        journey: [
          { method: 'POST', path: '/login', body: '{}' },
          { method: 'POST', path: '/cart/{key}', keys: 5, name: 'add to cart' },
          { path: '/cart/{key}', keys: 5 },
        ],
      },
    });
    assert.equal(samples.length, 90);
    assert.deepEqual(
      [...new Set(samples.map((s) => s.request))],
      ['POST /login', 'add to cart', 'GET /cart/{key}'],
    );
    assert.ok(
      samples.every((s) => s.outcome === 'ok'),
      'every cart step carried its session',
    );
    for (let sid = 1; sid <= 30; sid++) {
      const steps = recorded.got.filter((r) => r.cookie === `sid=${sid}`);
      assert.equal(steps.length, 2, `session ${sid}: the two steps after its login`);
      const [add, view] = steps as [Received, Received];
      assert.equal(add.method, 'POST');
      assert.equal(view.method, 'GET');
      assert.match(add.path, /^\/cart\/[1-5]$/);
      assert.equal(view.path, add.path, 'the journey reads back the key it wrote');
    }
    assert.equal(
      recorded.got.filter((r) => r.path === '/login' && r.cookie).length,
      0,
      'a new jar per arrival',
    );
  });

  it('counts 2xx and 3xx as ok by default; `expect` names the statuses that are', async () => {
    const recorded = await app((r, res) => {
      res.statusCode = Number(r.path.slice(1));
    });
    target = recorded.target;
    // A journey sends every step each arrival, so each status is met.
    const outcomes = async (journey: object[]) => {
      const { samples } = await loadAgainst(target?.url as string, {
        executor: constant(100, '50ms'),
        workload: { workload: 'http', journey },
      });
      assert.equal(samples.length, 5 * journey.length);
      const seen = new Set(samples.map((s) => `${s.request} → ${s.status}: ${s.outcome}`));
      return [...seen];
    };
    assert.deepEqual(
      await outcomes([
        { path: '/200' },
        { method: 'HEAD', path: '/204' },
        { path: '/302' },
        { path: '/404' },
        { path: '/503' },
      ]),
      [
        'GET /200 → 200: ok',
        'HEAD /204 → 204: ok',
        'GET /302 → 302: ok',
        'GET /404 → 404: fail',
        'GET /503 → 503: fail',
      ],
    );
    assert.deepEqual(
      await outcomes([
        { path: '/404', expect: [404] },
        { path: '/200', expect: ['4xx'] },
        { path: '/503', expect: [200, '5xx'] },
      ]),
      ['GET /404 → 404: ok', 'GET /200 → 200: fail', 'GET /503 → 503: ok'],
    );
  });

  it('explains what is wrong with its options', () => {
    const problems = (workload: object) =>
      loadSchema
        .safeParse({ executor: { ...constant(1, '1s') }, workload: { workload: 'http', ...workload } })
        .error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    const kinds = '"requests" (one picked by weight per arrival) or "journey" (steps run in order)';
    assert.deepEqual(problems({}), [`workload: needs ${kinds}`]);
    assert.deepEqual(problems({ requests: [{ path: '/a' }], journey: [{ path: '/b' }] }), [
      `workload: give either ${kinds}, not both`,
    ]);
    assert.deepEqual(problems({ requests: [] }), ['workload.requests: must list at least one request']);
    assert.deepEqual(
      problems({
        requests: [{ path: 'items', weight: 0, keys: 0, expect: ['6xx', 700] }, { path: '/x/{id}' }],
      }),
      [
        'workload.requests.0.path: must start with /',
        'workload.requests.0.keys: must be at least 1',
        'workload.requests.0.expect.0: must be a status (100 to 599) or a class like "2xx"',
        'workload.requests.0.expect.1: must be a status (100 to 599) or a class like "2xx"',
        'workload.requests.0.weight: must be more than 0',
        'workload.requests.1.path: unknown placeholder {id} (only {key})',
      ],
    );
    assert.deepEqual(problems({ journey: [{ path: '/a', weight: 2 }] }), [
      'workload.journey.0: Unrecognized key: "weight"',
    ]);
    assert.deepEqual(problems({ journey: [{ path: '/a/{key}', keys: 3 }, { path: '/b/{key}' }] }), [
      'workload.journey: its steps share one {key} per arrival: give every step that uses {key} the same keys',
    ]);
  });
});
