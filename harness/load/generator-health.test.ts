import assert from 'node:assert/strict';
import type { Sample } from '../samples/sample.ts';
import { GeneratorHealthMonitor, generatorHealth } from './generator-health.ts';

const sample = (intendedAt: number, lag: number): Sample => ({
  request: 'GET /',
  intendedAt,
  sentAt: intendedAt + lag,
  doneAt: intendedAt + lag + 1,
  outcome: 'ok',
});

describe('the generator’s health over its threads', () => {
  const lags = Array.from({ length: 400 }, (_, i) => (i % 50 === 0 ? 30 : (i % 7) * 0.5));

  it('merges the threads’ send lags exactly: the same numbers as one thread that sent them all', () => {
    const one = new GeneratorHealthMonitor(10);
    const parts = [new GeneratorHealthMonitor(10), new GeneratorHealthMonitor(10)];
    lags.forEach((lag, i) => {
      one.record(sample(i, lag));
      parts[i % 2]?.record(sample(i, lag));
    });
    const alone = generatorHealth([one.finish()], 10);
    const merged = generatorHealth(
      parts.map((p) => p.finish()),
      10,
    );
    assert.deepEqual(merged.sendLagMs, alone.sendLagMs);
    assert.equal(merged.valid, alone.valid);
  });

  it('is invalid when over 1% of all sends were late, wherever they were', () => {
    const parts = [new GeneratorHealthMonitor(10), new GeneratorHealthMonitor(10)];
    // 8 of 400 late (2%), all in one thread: 4% of its own sends, still judged over all 400.
    lags.forEach((lag, i) => {
      parts[i < 200 ? 0 : 1]?.record(sample(i, lag));
    });
    const health = generatorHealth(
      parts.map((p) => p.finish()),
      10,
    );
    assert.equal(health.valid, false);
    assert.match(health.reason ?? '', /^the load generator fell behind: send lag p99 30\.\d ms > 10 ms/);
    const fine = new GeneratorHealthMonitor(10);
    for (let i = 0; i < 400; i++) fine.record(sample(i, i === 5 ? 30 : 0.2));
    assert.equal(generatorHealth([fine.finish()], 10).valid, true, 'one late send in 400 is a hiccup');
  });
});
