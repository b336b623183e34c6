/**
 * Writes result.json atomically under runs/<experiment>/<timestamp>[-<variant>]/ and points
 * runs/<experiment>/latest at it, so a crash mid-write never leaves a half file behind. The HTML
 * report is not this module's job: whoever asked for the run renders it from the written file.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { symlinkAtomically, writeAtomically } from '../core/atomic-write.ts';
import type { RunResult } from './result.ts';

/** Writes result.json and returns its path. */
export async function writeJournal(outDir: string, result: RunResult): Promise<string> {
  const stamp = result.startedAt.replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  const name = result.variant ? `${stamp}-${result.variant}` : stamp;
  const experimentDir = join(outDir, result.experiment.name);
  const dir = join(experimentDir, name);
  await mkdir(dir, { recursive: true });
  const file = join(dir, 'result.json');
  await writeAtomically(file, `${JSON.stringify(result, null, 1)}\n`);
  await symlinkAtomically(name, join(experimentDir, 'latest'));
  return file;
}
