import assert from 'node:assert/strict';
import type { CheckResult } from '../../../harness/journal/index.ts';
import { loadFixture } from '../fixtures.ts';
import { buildModel } from '../model.ts';
import { cacheStampedeSection } from './cache-stampede.ts';

// Product 1 expired at 12 s and five requests read the database for it at once; one other refill.
const check: CheckResult = {
  checker: 'cache-stampede',
  valid: false,
  value: 5,
  unit: 'count',
  summary: '2 refills cost 6 database reads (mean 3, largest 5 identical reads at once; limit ≤ 1)',
  evidence: {
    refills: 2,
    dbReads: 6,
    spared: 40,
    maxReads: 5,
    meanReads: 3,
    statuses: { hit: 40, miss: 6 },
    byPhase: { fault: { refills: 2, dbReads: 6, spared: 40, maxReads: 5, meanReads: 3 } },
    dbReadRate: { binMs: 500, perSecond: [0, 2, 10, 0] },
    largest: [{ productId: 1, at: 12_000, doneAt: 12_180, reads: 5 }],
    omittedLargest: 0,
    limits: { maxConcurrentReads: 1 },
  },
};

describe('report: the cache stampede section', () => {
  it('is drawn only when the run has the cache-stampede checker', async () => {
    assert.equal(cacheStampedeSection.render(buildModel(await loadFixture('cache-node-loss'))), undefined);
  });

  it('shows the largest refill against the limit, the database read rate with flushes and refills marked, and lists them', async () => {
    const result = await loadFixture('cache-node-loss');
    result.checks = [check];
    result.topology.options = { ...result.topology.options, cacheTtl: 2 };
    result.events = [
      ...result.events,
      { kind: 'observation', source: 'cache.flush', at: 11_000, detail: { node: 'cache-1', keysBefore: 50 } },
    ];
    const page = String(cacheStampedeSection.render(buildModel(result)));
    assert.match(page, /<section class="card" id="cache-stampede">/);
    assert.doesNotMatch(page, /not in the shape this report reads/);
    assert.match(page, /tile bad"><div class="value">5<\/div><div class="label">largest refill/);
    assert.match(page, /2 s<\/div><div class="label">cache TTL/);
    assert.match(page, /Database reads of products per second/);
    assert.match(page, /#1 ×5/);
    assert.match(page, /cache-1 flushed/);
    assert.match(page, /X-Cache: hit 40 · miss 6/);
    assert.match(page, /<h3>Largest refills<\/h3>/);
  });
});
