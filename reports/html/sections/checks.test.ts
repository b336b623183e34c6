import assert from 'node:assert/strict';
import type { RunResult } from '../../../harness/journal/index.ts';
import { loadFixture, ownMetricResult } from '../fixtures.ts';
import { checksTable } from './checks.ts';

const rows = (result: RunResult) =>
  [...checksTable(result).value.matchAll(/<tr><td>([\s\S]*?)<\/tr>/g)].map((m) => m[1] as string);

describe('the checker table of a report', () => {
  it('shows a checker whose measurement is the point of the run with the hypothesis that judged it, never FAILS beside a PASS', async () => {
    // replica-lag [mitigation=none] is meant to show stale reads: its checker's own limit (0 %) is exceeded.
    const result = await loadFixture('replica-lag');
    assert.equal(result.verdict, 'pass');
    assert.equal(result.checks[0]?.valid, false);
    const [row] = rows(result);
    assert.ok(row);
    assert.doesNotMatch(row, /FAILS|b-fails|b-bad/);
    assert.match(
      row,
      /<span class="badge b-holds">holds<\/span> <code>stale-read-rate &gt; 0% during fault<\/code>/,
    );
    assert.match(row, /35\.3 %/, 'what it measured');
    assert.match(row, /reads stale \(35\.27%; limit ≤ 0\.00%\)/);
    assert.match(checksTable(result).value, /<th>Judged by<\/th>/);
  });

  it("shows the experiment's own checker with the hypothesis on its metric: it is in the verdict", async () => {
    const result = await ownMetricResult();
    const row = rows(result).find((r) => r.startsWith('<code>slow-requests</code>'));
    assert.ok(row, 'a row for the own checker');
    assert.match(
      row,
      /<span class="badge b-fails">FAILS<\/span> <code>slow-request-ratio &lt; 5% during fault<\/code>/,
    );
    assert.doesNotMatch(row, /not in the verdict/);
  });

  it('shows a checker no hypothesis judges with its own check, flagged but not failing', async () => {
    const result = await loadFixture('cache-node-loss');
    (result.checks[0] as RunResult['checks'][number]).valid = false;
    const [row] = rows(result);
    assert.ok(row);
    assert.doesNotMatch(row, /FAILS|b-fails/);
    assert.match(row, /<span class="badge b-warn">flagged<\/span>/);
    assert.match(row, /no hypothesis judges it, so not in the verdict/);
  });
});
