import assert from 'node:assert/strict';
import type { CheckResult } from '../../../harness/journal/index.ts';
import { loadFixture } from '../fixtures.ts';
import { buildModel } from '../model.ts';
import { cdnFreshnessSection } from './cdn-freshness.ts';

/** app.css changed at 6 s and was PURGEd 40 ms later; the edge served v1 for 45 ms more. */
function change(overrides: Record<string, unknown> = {}) {
  return {
    asset: 'app.css',
    path: '/static/app.css',
    at: 6000,
    oldEtag: '"v1"',
    newEtag: '"v2"',
    old: 2,
    new: 398,
    other: 0,
    oldShare: 0.005,
    timeToFreshMs: 45,
    neverFresh: false,
    invalidatedAt: 6040,
    invalidateMethod: 'PURGE',
    invalidateStatus: 200,
    staleAfterInvalidation: 0,
    missesBaseline: 0.2,
    missesPeakAfter: 14,
    oldShareSeries: { fromMs: 4000, binMs: 500, shares: [1, 1, 1, 1, 0.02, 0, 0, 0] },
    ...overrides,
  };
}

function check(changes: Record<string, unknown>[], limits = { maxOldShare: 1 }): CheckResult {
  return {
    checker: 'cdn-freshness',
    valid: true,
    value: 45,
    unit: 'ms',
    summary: 'app.css: 0.50% of answers after the change were old (2 of 400), fresh 45 ms after the change',
    evidence: {
      changes,
      cacheableSamples: 800,
      missRate: { binMs: 500, perSecond: [4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 14, 2, 0] },
      limits,
    },
  };
}

async function page(c: CheckResult): Promise<string> {
  const result = await loadFixture('cdn-origin-outage');
  result.checks = [c];
  return String(cdnFreshnessSection.render(buildModel(result)));
}

describe('report: the CDN freshness section', () => {
  it('is drawn only when the run has the cdn-freshness checker', async () => {
    assert.equal(cdnFreshnessSection.render(buildModel(await loadFixture('cdn-origin-outage'))), undefined);
  });

  it('shows the old share, the time to fresh and the invalidation, with both charts marking the change and the PURGE', async () => {
    const html = await page(check([change()]));
    assert.match(html, /<section class="card" id="cdn-freshness"><h2>CDN freshness<\/h2>/);
    assert.doesNotMatch(html, /not in the shape this report reads/);
    assert.match(html, /0\.5 % \(2 of 400\)<\/div><div class="label">old content after the change/);
    assert.match(html, /45 ms<\/div><div class="label">time to fresh/);
    assert.match(html, /PURGE \+40 ms<\/div><div class="label">invalidation, after the change/);
    assert.match(
      html,
      /tile ok"><div class="value">0<\/div><div class="label">old answers sent after the invalidation/,
    );
    assert.match(html, /14\/s \/ 0\.2\/s<\/div><div class="label">origin fetches: peak after \/ mean before/);
    assert.match(html, /&quot;v1&quot; → &quot;v2&quot;<\/div><div class="label">ETag: old → new/);
    assert.match(html, /Share of old content the CDN served/);
    assert.match(html, /CDN misses \(origin fetches\) per second/);
    assert.equal(html.match(/app\.css changed<\/text>/g)?.length, 2, 'the change marked on both charts');
    assert.equal(html.match(/>PURGE<\/text>/g)?.length, 2, 'and the invalidation');
  });

  it('says never when the edge kept the old version, red against the limits', async () => {
    const never = change({
      oldShare: 1,
      old: 400,
      new: 0,
      timeToFreshMs: null,
      neverFresh: true,
      invalidatedAt: null,
      invalidateMethod: null,
      invalidateStatus: null,
      staleAfterInvalidation: null,
    });
    const html = await page(check([never], { maxOldShare: 0.1 }));
    assert.match(html, /tile bad"><div class="value">100 % \(400 of 400\)/);
    assert.match(html, /tile bad"><div class="value">never<\/div><div class="label">time to fresh/);
    assert.match(html, /none<\/div><div class="label">invalidation/);
    assert.doesNotMatch(html, /old answers sent after the invalidation/);
  });

  it('heads each change with its asset and ETags when several changed', async () => {
    const html = await page(check([change(), change({ asset: 'app.js', at: 7000, invalidatedAt: null })]));
    assert.match(html, /<h3>app\.css: &quot;v1&quot; → &quot;v2&quot;<\/h3>/);
    assert.match(html, /<h3>app\.js: /);
    assert.match(html, /app\.js: old share/);
  });

  it('says so when the evidence is not in the shape it reads', async () => {
    const html = await page({ ...check([]), evidence: { changes: 'lots' } });
    assert.match(html, /The cdn-freshness evidence in this result is not in the shape this report reads/);
  });
});
