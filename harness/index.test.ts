/**
 * harness/index.ts is what users import as 'faultline'. Their editor and tsc read its TypeScript
 * sources from node_modules, so every package those sources import must install with faultline, and
 * so must the types of the ones without their own.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { PROJECT_ROOT } from './core/project-root.ts';
import * as api from './index.ts';

// `from` as a keyword, not the end of a word like 'x-read-from'.
const SPECIFIER = /(?:(?<![\w-])from\s*|\bimport\s*\(\s*)(['"])([^'"]+)\1/g;

/** The packages (not node: built-ins) imported anywhere in the module graph of `entry`. */
function importedPackages(entry: string): Set<string> {
  const packages = new Set<string>();
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const [, , specifier] of readFileSync(file, 'utf8').matchAll(SPECIFIER)) {
      if (!specifier) continue;
      if (specifier.startsWith('.')) visit(resolve(dirname(file), specifier));
      else if (!specifier.startsWith('node:')) {
        const parts = specifier.split('/');
        packages.add(specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] as string));
      }
    }
  };
  visit(entry);
  return packages;
}

const manifest = (dir: string) => JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));

/** Whether a package ships its own declarations (where TypeScript looks for them). */
function hasOwnTypes(name: string): boolean {
  const dir = join(PROJECT_ROOT, 'node_modules', name);
  const pkg = manifest(dir);
  const besideMain = join(dir, String(pkg.main ?? 'index.js').replace(/\.[cm]?js$/, '.d.ts'));
  return (
    Boolean(pkg.types || pkg.typings) ||
    existsSync(besideMain) ||
    existsSync(join(dir, 'index.d.ts')) ||
    JSON.stringify(pkg.exports ?? {}).includes('"types"')
  );
}

describe("the public API (harness/index.ts, 'faultline')", () => {
  it('has named exports only', () => {
    assert.equal('default' in api, false);
    for (const name of ['defineExperiment', 'validateExperiment', 'runExperiment', 'startTopology']) {
      assert.equal(typeof (api as Record<string, unknown>)[name], 'function', name);
    }
  });

  it('installs every package its sources import, and the types of those without their own', () => {
    const dependencies = Object.keys(manifest(PROJECT_ROOT).dependencies ?? {});
    const packages = importedPackages(join(PROJECT_ROOT, 'harness', 'index.ts'));
    assert.ok(packages.has('zod'), [...packages].join(', '));
    const missing = [...packages].flatMap((name) => {
      const needed = [name];
      if (!hasOwnTypes(name)) needed.push(`@types/${name.replace(/^@/, '').replace('/', '__')}`);
      return needed.filter((n) => !dependencies.includes(n));
    });
    assert.deepEqual(missing, [], 'move these from devDependencies to dependencies in package.json');
  });
});
