import assert from 'node:assert/strict';
import type { CheckResult } from '../../../harness/journal/index.ts';
import { loadFixture } from '../fixtures.ts';
import { buildModel } from '../model.ts';
import { cacheStalenessSection } from './cache-staleness.ts';

// Product 1 changed to version 2 at 12 s and the cache served version 1 until 15 s (evidence as
// the checker writes it, first examples only).
const check: CheckResult = {
  checker: 'cache-staleness',
  valid: false,
  value: 2905,
  unit: 'ms',
  summary: '30 of 80 reads of changed products stale (37.5 %), oldest 2.9 s after the change',
  evidence: {
    judged: 80,
    stale: 30,
    staleRate: 0.375,
    maxAgeMs: 2905,
    p99AgeMs: 2905,
    p50AgeMs: 1405,
    changes: 1,
    changedProducts: 1,
    ageHistogram: [
      { le: 10, count: 1 },
      { le: 1000, count: 9 },
      { le: 5000, count: 20 },
    ],
    byPhase: { fault: { judged: 80, stale: 30, staleRate: 0.375, maxAgeMs: 2905, p99AgeMs: 2905 } },
    examples: [{ productId: 1, version: 1, expected: 2, ageMs: 5, at: 12_000, cache: 'hit' }],
    omittedExamples: 0,
    limits: {},
  },
};

describe('report: the cache staleness section', () => {
  it('is drawn only when the run has the cache-staleness checker', async () => {
    assert.equal(cacheStalenessSection.render(buildModel(await loadFixture('cache-node-loss'))), undefined);
  });

  it('shows the stale share, the oldest stale read next to the TTL, the age histogram and the first stale reads', async () => {
    const result = await loadFixture('cache-node-loss');
    result.checks = [check];
    result.topology.options = { ...result.topology.options, cacheTtl: 5 };
    const page = String(cacheStalenessSection.render(buildModel(result)));
    assert.match(page, /<section class="card" id="cache-staleness">/);
    assert.doesNotMatch(page, /not in the shape this report reads/);
    assert.match(page, /30 of 80<\/div><div class="label">stale reads of changed products/);
    assert.match(page, /2\.9 s<\/div><div class="label">oldest stale read/);
    assert.match(page, /5 s<\/div><div class="label">cache TTL/);
    assert.match(page, /Staleness age histogram/);
    assert.match(page, /<h3>First stale reads<\/h3>/);
  });
});
