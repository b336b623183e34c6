/**
 * The import directions the layers must keep (docs/architecture.md), checked on every file so a
 * shortcut cannot come back: the harness never imports a target; a run writes result.json through harness/journal and never renders a
 * report; reports read result.json through harness/journal and never reach into the run.
 * Run as a script it prints one line per violation and exits 1 when there is any.
 */
import { readdir, readFile } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';

interface Rule {
  /** Files under this folder (relative to the project root)... */
  from: string;
  /** ...must not import anything under this one... */
  to: string;
  /** ...except these files (relative to the project root). */
  except?: readonly string[];
  why: string;
}

export const rules: readonly Rule[] = [
  {
    from: 'harness',
    to: 'targets',
    why: 'targets plug into the harness (defineTarget, found by name at run time); the harness never knows one',
  },
  { from: 'reports', to: 'harness/run', why: 'reports read results through harness/journal' },
  { from: 'harness/run', to: 'reports', why: 'the caller renders reports after the run, in cli/' },
  {
    from: 'reports',
    to: 'harness/checkers',
    except: ['harness/checkers/registry.ts', 'harness/checkers/metric-values.ts'],
    why: "reports read the checkers' public definitions (names, directions, evidence schemas, metrics) through registry.ts and metric-values.ts, not their analyses",
  },
];

export interface Violation {
  /** Relative to the project root. */
  file: string;
  line: number;
  specifier: string;
  rule: Rule;
}

// Static imports and re-exports (`from '...'`), side-effect imports and dynamic `import('...')`.
const SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(?\s*)(['"])(\.{1,2}\/[^'"]*)\1/g;

const inside = (path: string, folder: string) => path === folder || path.startsWith(`${folder}/`);

/** The violations in one file's text; `file` is its path relative to the project root. */
export function importViolations(file: string, text: string): Violation[] {
  const violations: Violation[] = [];
  const lines = text.split('\n');
  lines.forEach((line, i) => {
    for (const match of line.matchAll(SPECIFIER)) {
      const specifier = match[2] as string;
      const target = join(dirname(file), specifier).split(sep).join('/');
      for (const rule of rules) {
        if (inside(file, rule.from) && inside(target, rule.to) && !rule.except?.includes(target)) {
          violations.push({ file, line: i + 1, specifier, rule });
        }
      }
    }
  });
  return violations;
}

async function sources(root: string, folder: string): Promise<string[]> {
  const entries = await readdir(join(root, folder), { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile() && /\.(ts|js|mjs|cjs)$/.test(e.name))
    .map((e) => relative(root, join(e.parentPath, e.name)).split(sep).join('/'));
}

/** Every violation in the project at `root`. */
export async function lintImports(root: string): Promise<Violation[]> {
  const violations: Violation[] = [];
  // A folder inside another (harness/run in harness) is read once.
  const files = new Set<string>();
  for (const folder of new Set(rules.map((r) => r.from)))
    for (const file of await sources(root, folder)) files.add(file);
  for (const file of [...files].sort()) {
    violations.push(...importViolations(file, await readFile(join(root, file), 'utf8')));
  }
  return violations;
}

export function describeViolation(v: Violation): string {
  return `${v.file}:${v.line}: imports ${v.specifier}: ${v.rule.from}/ must not import ${v.rule.to}/ (${v.rule.why})`;
}

if (import.meta.main) {
  const root = resolve(import.meta.dirname, '../..');
  const violations = await lintImports(root);
  for (const v of violations) console.error(describeViolation(v));
  if (violations.length) process.exitCode = 1;
  else console.log(`imports: ${rules.length} directions kept`);
}
