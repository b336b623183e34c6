import assert from 'node:assert/strict';
import type { Sample } from '../samples/sample.ts';
import { analyzeSessionsLost, sessionsLostChecker } from './sessions-lost.ts';
import { failed, ok, record } from './testing.ts';

const login = (t: number, user: string, servedBy = 'web-1') =>
  ok(t, { request: 'POST /login', sessionId: user, servedBy });
const cart = (t: number, user: string, status = 200, servedBy = 'web-1'): Sample =>
  status < 400
    ? ok(t, { request: 'GET /cart', sessionId: user, status, servedBy })
    : failed(t, { request: 'GET /cart', sessionId: user, status, servedBy });
const addItem = (t: number, user: string, status = 200): Sample =>
  status < 400
    ? ok(t, { request: 'POST /cart/items', sessionId: user, status })
    : failed(t, { request: 'POST /cart/items', sessionId: user, status });

describe('checkers/sessions-lost', () => {
  it('is unknown when no cart request was made while logged in', () => {
    const result = sessionsLostChecker().check(record({ samples: [ok(100), cart(200, 'u1', 401)] }));
    assert.equal(result.valid, 'unknown');
    assert.equal((result.evidence as { unauthenticated: number }).unauthenticated, 1);
  });

  it('passes when logged-in users keep their sessions', () => {
    const samples = [
      login(100, 'u1'),
      cart(600, 'u1'),
      addItem(1100, 'u1'),
      login(150, 'u2'),
      cart(650, 'u2'),
    ];
    const result = sessionsLostChecker().check(record({ samples }));
    assert.equal(result.valid, true);
    assert.equal(result.value, 0);
    assert.equal(result.unit, 'count');
    assert.equal((result.evidence as { cartRequests: number }).cartRequests, 3);
  });

  it('counts a 401 on a cart request after a successful login as a lost session, then the forced re-login', () => {
    const samples = [
      login(1000, 'u1', 'web-2'),
      cart(2000, 'u1', 200, 'web-2'),
      cart(12_000, 'u1', 401, 'web-1'), // fault phase: lost
      addItem(12_500, 'u1', 401), // not logged in any more: no second loss
      login(13_000, 'u1', 'web-1'), // forced re-login
      cart(14_000, 'u1'),
      login(1000, 'u2'),
      addItem(15_000, 'u2', 401), // lost too
      login(21_000, 'u2'), // re-login in recovery
    ];
    const run = record({ samples: samples.reverse() }); // order in the record does not matter
    const a = analyzeSessionsLost(run);
    assert.deepEqual([a.lost, a.forcedRelogins, a.usersAffected, a.users, a.logins], [2, 2, 2, 2, 4]);
    assert.equal(a.unauthenticated, 1);
    assert.deepEqual(
      Object.fromEntries(
        Object.entries(a.byPhase).map(([p, c]) => [p, [c.lost, c.forcedRelogins, c.logins]]),
      ),
      { baseline: [0, 0, 2], fault: [2, 1, 1], recovery: [0, 1, 1] },
    );
    assert.deepEqual(a.losses[0], {
      sessionId: 'u1',
      loggedInAt: 1005,
      loginServedBy: 'web-2',
      lostAt: 12_000,
      request: 'GET /cart',
      servedBy: 'web-1',
      phase: 'fault',
    });

    const result = sessionsLostChecker().check(run);
    assert.equal(result.valid, false);
    assert.equal(result.value, 2);
    assert.match(result.summary, /^2 of \d+ sessions lost \(limit ≤ 0\)/);
    assert.doesNotMatch(result.summary, /max/);
    assert.equal(sessionsLostChecker({ maxLost: 2 }).check(run).valid, true);
  });

  it('a 401 counts only after a successful login: failed logins and other errors are not losses', () => {
    const samples = [
      failed(100, { request: 'POST /login', sessionId: 'u1', status: 503 }),
      cart(200, 'u1', 401), // never logged in
      login(300, 'u1'),
      cart(400, 'u1', 503), // the session store failing is an error, not a loss
      { ...cart(500, 'u1'), sentAt: undefined, outcome: 'fail' as const, status: undefined }, // dropped
      cart(600, 'u1'),
    ];
    const a = analyzeSessionsLost(record({ samples }));
    assert.deepEqual([a.lost, a.unauthenticated, a.logins, a.cartRequests], [0, 1, 1, 3]);
    assert.equal(sessionsLostChecker().check(record({ samples })).valid, true);
  });

  it('takes the login and cart request names from options', () => {
    const samples = [
      ok(100, { request: 'POST /signin', sessionId: 'u1' }),
      failed(200, { request: 'GET /basket', sessionId: 'u1', status: 401 }),
    ];
    const run = record({ samples });
    assert.equal(sessionsLostChecker().check(run).valid, 'unknown');
    const custom = sessionsLostChecker({ loginRequest: 'POST /signin', cartRequests: ['GET /basket'] }).check(
      run,
    );
    assert.equal(custom.value, 1);
  });
});
