import assert from 'node:assert/strict';
import { type HttpTarget, httpTarget } from '../../../test/helpers/http-target.ts';
import { loadAgainst } from '../../../test/helpers/load.ts';

describe('session-users executor', function () {
  this.timeout(20_000);
  let target: HttpTarget | undefined;
  afterEach(() => target?.close());

  it('N users, each stepping every `pacing` with cookies of its own', async () => {
    const cookies: (string | undefined)[] = [];
    let visitors = 0;
    target = await httpTarget((req, res) => {
      if (req.method === 'OPTIONS') return res.end(); // the generator opening its connections
      cookies.push(req.headers.cookie);
      if (!req.headers.cookie) res.setHeader('set-cookie', `visitor=${++visitors}; Path=/`);
      res.end('ok');
    });
    const { samples } = await loadAgainst(target.url, {
      executor: { executor: 'session-users', users: 3, pacing: '100ms', duration: '500ms' },
    });
    assert.equal(samples.length, 15, '3 users × 5 steps');
    const perUser: Record<string, number> = {};
    for (const s of samples) perUser[s.sessionId ?? '-'] = (perUser[s.sessionId ?? '-'] ?? 0) + 1;
    assert.deepEqual(Object.values(perUser), [5, 5, 5]);
    assert.equal(visitors, 3, 'each user’s first step is a new visitor');
    assert.deepEqual(
      [...new Set(cookies.filter((c) => c !== undefined))].sort(),
      ['visitor=1', 'visitor=2', 'visitor=3'],
      'every later step carries its own user’s cookie',
    );
  });
});
