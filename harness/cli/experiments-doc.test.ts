import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { EXPERIMENTS_DOC, experimentsDoc } from './experiments-doc.ts';

describe('docs/experiments.md', function () {
  this.timeout(20_000);

  it('is what the registries give now', async () => {
    const committed = readFileSync(EXPERIMENTS_DOC, 'utf8');
    // One line, not a diff: the fix is always the same.
    if (committed !== (await experimentsDoc()))
      assert.fail('docs/experiments.md is stale: run `npm run docs`');
  });
});
