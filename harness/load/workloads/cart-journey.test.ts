import assert from 'node:assert/strict';
import { type HttpTarget, httpTarget } from '../../../test/helpers/http-target.ts';
import { loadAgainst } from '../../../test/helpers/load.ts';

describe('cart-journey workload', function () {
  this.timeout(20_000);
  let target: HttpTarget;
  afterEach(() => target.close());

  it('logs in once, then shops with its session; a 401 (lost session) makes it log in again', async () => {
    const steps: string[] = [];
    let cartRequests = 0;
    target = await httpTarget((req, res) => {
      if (req.method === 'OPTIONS') return res.end(); // the generator opening its connections
      const step = `${req.method} ${req.url}${req.headers.cookie ? ` (${req.headers.cookie})` : ''}`;
      steps.push(step);
      if (req.url === '/login') res.setHeader('set-cookie', 'shop.sid=s1; HttpOnly');
      else if (++cartRequests === 3) res.statusCode = 401; // the server lost the session
      res.end('{}');
    });
    await loadAgainst(target.url, {
      executor: { executor: 'session-users', users: 1, pacing: '40ms', duration: '400ms' },
      workload: { workload: 'cart-journey' },
    });
    assert.equal(steps.length, 10);
    assert.equal(steps[0], 'POST /login');
    assert.ok(
      steps.slice(1, 4).every((s) => /^(POST \/cart\/items|GET \/cart) \(shop\.sid=s1\)$/.test(s)),
      steps.join('\n'),
    );
    assert.equal(steps[4], 'POST /login', `after the 401 it logs in again: ${steps.join(', ')}`);
    assert.ok(steps.slice(5).every((s) => s.endsWith('(shop.sid=s1)')));
  });

  it('knows the app is logged in by the session cookie it names (the shop’s shop.sid by default)', async () => {
    const steps: string[] = [];
    target = await httpTarget((req, res) => {
      if (req.method === 'OPTIONS') return res.end();
      steps.push(`${req.method} ${req.url}`);
      if (req.url === '/login') res.setHeader('set-cookie', 'app_session=abc; HttpOnly');
      res.end('{}');
    });
    await loadAgainst(target.url, {
      executor: { executor: 'session-users', users: 1, pacing: '40ms', duration: '200ms' },
      workload: { workload: 'cart-journey', sessionCookie: 'app_session' },
    });
    assert.equal(steps[0], 'POST /login');
    assert.ok(steps.length >= 3, steps.join(', '));
    assert.ok(
      steps.slice(1).every((s) => s !== 'POST /login'),
      `logged in once: ${steps.join(', ')}`,
    );
  });
});
