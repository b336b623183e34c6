import assert from 'node:assert/strict';
import { checkerDefinitions } from '../../../harness/checkers/registry.ts';
import { FIXTURES, type FixtureName, loadFixture } from '../fixtures.ts';
import { renderReport } from '../render.ts';
import { checkerSections, uniqueCheckerSections } from './checkers.ts';

describe('report sections of checkers', () => {
  it('are found by registered checker names, each section listed once in page order', () => {
    for (const name of Object.keys(checkerSections)) assert.ok(Object.hasOwn(checkerDefinitions, name), name);
    assert.deepEqual(
      uniqueCheckerSections().map((s) => s.id),
      [
        'stale-reads',
        'failover',
        'primary-loss',
        'sessions',
        'cache',
        'cache-staleness',
        'cache-stampede',
        'cdn-freshness',
        'slo',
      ],
    );
  });

  it('draw the section of every checker a fixture ran, linked from the table of contents', async () => {
    for (const fixture of Object.keys(FIXTURES) as FixtureName[]) {
      const result = await loadFixture(fixture);
      const page = renderReport(result);
      for (const check of result.checks) {
        const section = checkerSections[check.checker as keyof typeof checkerSections];
        assert.ok(section, `${fixture}: a section for ${check.checker}`);
        assert.ok(page.includes(`<section class="card" id="${section.id}">`), `${fixture}: ${section.id}`);
        assert.ok(
          page.includes(`<a href="#${section.id}">${section.toc}</a>`),
          `${fixture}: toc ${section.id}`,
        );
      }
    }
  });
});
