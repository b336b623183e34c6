import assert from 'node:assert/strict';
import { compare, parseHypothesis } from './hypothesis.ts';

describe('hypotheses as people write them', () => {
  it('reads metric, comparison, value with unit, and phase', () => {
    assert.deepEqual(parseHypothesis('p99 < 250ms during fault'), {
      text: 'p99 < 250ms during fault',
      metric: 'p99',
      op: '<',
      threshold: 250,
      phase: 'fault',
    });
    assert.deepEqual(parseHypothesis('error-rate < 1% during recovery'), {
      text: 'error-rate < 1% during recovery',
      metric: 'error-rate',
      op: '<',
      threshold: 0.01,
      phase: 'recovery',
    });
    assert.deepEqual(parseHypothesis('failover-time < 5s'), {
      text: 'failover-time < 5s',
      metric: 'failover-time',
      op: '<',
      threshold: 5000,
    });
    assert.deepEqual(parseHypothesis('sessions-lost == 0'), {
      text: 'sessions-lost == 0',
      metric: 'sessions-lost',
      op: '==',
      threshold: 0,
    });
  });

  it('explains what is wrong with anything else', () => {
    assert.match(parseHypothesis('p99 is small') as string, /is not "<metric> <op> <value>/);
    assert.match(parseHypothesis('p99 < fast') as string, /is not/);
  });

  it('compares with every operator', () => {
    assert.equal(compare(1, '<', 2), true);
    assert.equal(compare(2, '<=', 2), true);
    assert.equal(compare(3, '>', 2), true);
    assert.equal(compare(2, '>=', 3), false);
    assert.equal(compare(0, '==', 0), true);
    assert.equal(compare(1, '!=', 0), true);
  });
});
