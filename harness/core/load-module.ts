/**
 * Loads a user's TypeScript file (an experiment, a target) as an ES module wherever it lives, marked
 * by a query. Loaded as CommonJS (a .ts file in a package without "type": "module"), its
 * require('faultline') meets the harness's ES modules half-loaded ("Cannot require() ES Module ...
 * in a cycle") or, under `node --import tsx`, compiles a second copy of the harness.
 */
import { registerHooks } from 'node:module';
import { pathToFileURL } from 'node:url';

const MARK = 'faultline-module';
registerHooks({
  resolve(specifier, context, nextResolve) {
    const resolved = nextResolve(specifier, context);
    return new URL(resolved.url).searchParams.has(MARK) ? { ...resolved, format: 'module' } : resolved;
  },
});

export async function importModule(file: string): Promise<{ default?: unknown }> {
  const url = pathToFileURL(file);
  url.searchParams.set(MARK, '');
  return (await import(url.href)) as { default?: unknown };
}
