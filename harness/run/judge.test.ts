import assert from 'node:assert/strict';
import { z } from 'zod';
import { defineChecker } from '../checkers/checker.ts';
import { namedCheckerSpec } from '../checkers/registry.ts';
import { ok, record } from '../checkers/testing.ts';
import { evaluateHypotheses } from './judge.ts';

/** A checker of the user's own whose one metric, a ratio, is the share of requests slower than 10 ms. */
const slowRequests = defineChecker({
  name: 'slow-requests',
  options: z.object({}).strict(),
  evidence: z.object({}),
  value: { unit: 'count', better: 'lower' },
  analyze: (run) => run.samples.filter((s) => s.doneAt - s.intendedAt > 10).length / run.samples.length,
  metrics: {
    'slow-request-ratio': {
      unit: 'ratio',
      scope: 'run',
      better: 'lower',
      description: 'the share of requests slower than 10 ms',
      resolve: (ratio) => ratio,
    },
  },
  create: () => ({
    name: 'slow-requests',
    check: () => ({ checker: 'slow-requests', valid: 'unknown', summary: '', evidence: {} }),
  }),
});

describe('evaluateHypotheses', () => {
  it("stores each hypothesis's unit and the checker measuring it, for its own checker's metrics too", () => {
    const run = record({ samples: [ok(0), ok(1000, {}, 20), ok(2000), ok(3000)] });
    const hypotheses = evaluateHypotheses(
      run,
      ['slow-request-ratio < 5%', 'stale-read-rate < 1%', 'p99 < 1s during fault'],
      [namedCheckerSpec(slowRequests), 'stale-reads'],
    );
    assert.deepEqual(
      hypotheses.map(({ metric, unit, checker, value }) => ({ metric, unit, checker, value })),
      [
        { metric: 'slow-request-ratio', unit: 'ratio', checker: 'slow-requests', value: 0.25 },
        { metric: 'stale-read-rate', unit: 'ratio', checker: 'stale-reads', value: null },
        // The load numbers are no checker's.
        { metric: 'p99', unit: 'ms', checker: undefined, value: null },
      ],
    );
    assert.equal('checker' in (hypotheses[2] ?? {}), false, 'no checker key for the load numbers');
  });
});
