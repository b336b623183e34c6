/**
 * Finds targets: by name (targets/<name>/target.ts in the faultline checkout, then in the current
 * directory's targets/), by the path of a target file, or as a definition an experiment imported.
 * Loaded once per file.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { usageError } from '../core/errors.ts';
import { importModule } from '../core/load-module.ts';
import { PROJECT_ROOT } from '../core/project-root.ts';
import { isTarget, type TargetDefinition } from './target.ts';

/** The target an experiment runs on when it names none. */
export const DEFAULT_TARGET = 'shop';
const NAME = /^[a-z][a-z0-9-]*$/;

export type TargetRef = string | TargetDefinition;

const loaded = new Map<string, Promise<TargetDefinition>>();

/** Target names of the faultline checkout and of the current directory's targets/. */
export function targetNames(): string[] {
  const names = new Set<string>();
  for (const root of [PROJECT_ROOT, process.cwd()]) {
    const dir = join(root, 'targets');
    if (!existsSync(dir)) continue;
    for (const name of readdirSync(dir)) if (existsSync(join(dir, name, 'target.ts'))) names.add(name);
  }
  return [...names].sort();
}

function targetFile(ref: string): string {
  if (!NAME.test(ref)) return resolve(ref);
  for (const root of [PROJECT_ROOT, process.cwd()]) {
    const file = join(root, 'targets', ref, 'target.ts');
    if (existsSync(file)) return file;
  }
  throw usageError(
    'target.unknown',
    `no target named "${ref}"`,
    `targets: ${targetNames().join(', ')}; or give the path of a target.ts file`,
  );
}

export async function loadTarget(ref: TargetRef = DEFAULT_TARGET): Promise<TargetDefinition> {
  if (typeof ref !== 'string') return ref;
  const file = targetFile(ref);
  let target = loaded.get(file);
  if (!target) {
    target = importTarget(file);
    loaded.set(file, target);
  }
  return target;
}

async function importTarget(file: string): Promise<TargetDefinition> {
  if (!existsSync(file)) {
    throw usageError(
      'target.file',
      `no target file ${file}`,
      'give a target name or the path of a target.ts file',
    );
  }
  const module = await importModule(file).catch((err: Error) => {
    throw usageError(
      'target.load',
      `cannot load ${file}: ${err.message.split('\n')[0]}`,
      'fix the file: it has `export default defineTarget({...})`',
    );
  });
  if (!isTarget(module.default)) {
    throw usageError(
      'target.export',
      `${file} does not export a target`,
      'export default defineTarget({...})',
    );
  }
  return module.default;
}
