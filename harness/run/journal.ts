/**
 * Writes result.json atomically under runs/<experiment>/<timestamp>[-<variant>]/ and points
 * runs/<experiment>/latest at it, so a crash mid-write never leaves a half file behind.
 */
import { mkdir, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RunResult } from './result.ts';

export async function writeJournal(outDir: string, result: RunResult): Promise<string> {
  const stamp = result.startedAt.replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  const name = result.variant ? `${stamp}-${result.variant}` : stamp;
  const experimentDir = join(outDir, result.experiment.name);
  const dir = join(experimentDir, name);
  await mkdir(dir, { recursive: true });
  const file = join(dir, 'result.json');
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify(result, null, 1)}\n`);
  await rename(temporary, file);
  const latest = join(experimentDir, 'latest');
  const pending = `${latest}.${process.pid}.tmp`;
  await rm(pending, { force: true });
  await symlink(name, pending);
  await rename(pending, latest);
  return file;
}
