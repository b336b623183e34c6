import assert from 'node:assert/strict';
import { Breaker } from './breaker.ts';
import { TimeoutError, withTimeout } from './timeout.ts';

describe('breaker and timeouts', () => {
  it('opens on a slow failure, lets one trial through per cooldown, closes on success', () => {
    let now = 0;
    const breaker = new Breaker(1000, () => now);
    assert.ok(breaker.allow());
    breaker.failed(new TimeoutError('GET', 100));
    assert.ok(!breaker.allow());
    now = 999;
    assert.ok(!breaker.allow());
    now = 1000;
    assert.ok(breaker.allow(), 'the trial call');
    assert.ok(!breaker.allow(), 'only one trial');
    breaker.success();
    assert.ok(breaker.allow());
  });

  it('stays closed on fast failures (a refused connection costs nothing)', () => {
    const breaker = new Breaker(1000, () => 0);
    breaker.failed(new Error('connect ECONNREFUSED 127.0.0.1:1'));
    assert.ok(breaker.allow());
    breaker.failed(new Error('Query read timeout'));
    assert.ok(!breaker.allow());
  });

  it('withTimeout rejects at the deadline and swallows the late outcome', async () => {
    const late = new Promise((_, reject) => setTimeout(() => reject(new Error('late')), 30));
    const started = performance.now();
    await assert.rejects(withTimeout(late, 10, 'work'), /work timed out after 10 ms/);
    assert.ok(performance.now() - started < 25);
    assert.equal(await withTimeout(Promise.resolve(7), 10, 'work'), 7);
    await new Promise((resolve) => setTimeout(resolve, 40)); // the late rejection must stay handled
  });
});
