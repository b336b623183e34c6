/**
 * The reports' output on the committed fixtures, pinned: every HTML report fixture rendered, and
 * compare run on the compare fixtures (and on each report fixture against itself, so that every
 * checker's headline value is judged), must give what reports/fixtures/outputs.snapshot.json
 * recorded. Pages and comparisons are pinned by their SHA-256 (they are large); the checkers' rows
 * of each comparison are also kept in full, so a changed checker number shows in the diff. The snapshot was written before the checkers
 * declared their own metrics, directions and evidence (issue 13), to prove that move changed no
 * number; rewrite it on purpose with FAULTLINE_WRITE_SNAPSHOT=1 when an output is meant to change.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { RunResult } from '../harness/journal/index.ts';
import { compareResults } from './compare/compare.ts';
import { type FixtureSet, loadFixture as loadCompareFixture } from './compare/fixtures.ts';
import { comparisonToHtml } from './compare/html.ts';
import { FIXTURES, type FixtureName, loadFixture } from './html/fixtures.ts';
import { renderReport } from './html/render.ts';

const SNAPSHOT = fileURLToPath(new URL('./fixtures/outputs.snapshot.json', import.meta.url));

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

const PAIRS: readonly [FixtureSet, FixtureSet][] = [
  ['baseline', 'rerun'],
  ['baseline', 'replica-120ms'],
  ['baseline', 'replica-300ms'],
];

async function outputs() {
  const reports: Record<string, string> = {};
  const comparisons: Record<string, unknown> = {};
  const compare = (key: string, a: readonly RunResult[], b: readonly RunResult[]) => {
    const c = compareResults(a, b);
    comparisons[key] = {
      // What the checkers' definitions feed (their values' directions), in full...
      checkers: JSON.parse(JSON.stringify(c.metrics.filter((m) => m.group === 'checker'))),
      regressions: c.regressions,
      // ...and the rest by hash.
      json: sha256(JSON.stringify(c)),
      html: sha256(comparisonToHtml(c)),
    };
  };
  for (const name of Object.keys(FIXTURES) as FixtureName[]) {
    const result = await loadFixture(name);
    reports[name] = sha256(renderReport(result));
    compare(`${name} vs itself`, [result], [result]);
  }
  for (const [a, b] of PAIRS) {
    const side = async (set: FixtureSet) => (await loadCompareFixture(set)).map((l) => l.result);
    compare(`${a} vs ${b}`, await side(a), await side(b));
  }
  return { reports, comparisons };
}

describe('reports on the committed fixtures', () => {
  it('render and compare exactly as recorded in outputs.snapshot.json', async () => {
    const actual = await outputs();
    if (process.env.FAULTLINE_WRITE_SNAPSHOT === '1') {
      await writeFile(SNAPSHOT, `${JSON.stringify(actual, null, 2)}\n`);
    }
    const expected = JSON.parse(await readFile(SNAPSHOT, 'utf8'));
    assert.deepEqual(actual.comparisons, expected.comparisons);
    assert.deepEqual(actual.reports, expected.reports);
  });
});
