import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { PROJECT_ROOT } from '../../core/project-root.ts';
import { recipeFiles } from './image-build.ts';

/** Every project file a module reaches through its relative imports (static and dynamic). */
function reachableFrom(entry: string): Set<string> {
  const seen = new Set<string>();
  const pending = [entry];
  while (pending.length) {
    const file = pending.pop() as string;
    if (seen.has(file)) continue;
    seen.add(file);
    const source = readFileSync(file, 'utf8');
    for (const [, spec] of source.matchAll(/(?:from|import\()\s*'(\.{1,2}\/[^']+)'/g)) {
      const target = resolve(dirname(file), spec as string);
      if (existsSync(target)) pending.push(target);
    }
  }
  return seen;
}

describe('locally built images', () => {
  it('the Toxiproxy stand-in is rebuilt when any module `faultline proxy` loads changes', () => {
    const recipe = new Set(recipeFiles('toxiproxy'));
    const loaded = [...reachableFrom(join(PROJECT_ROOT, 'bin/faultline.js'))];
    assert.ok(loaded.length > 100, `${loaded.length} modules: the import walk found the CLI`);
    const missing = loaded.filter((file) => !recipe.has(file));
    assert.deepEqual(missing, [], 'modules the image runs but its recipe ignores');
  });
});
