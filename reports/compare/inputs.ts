/**
 * What `faultline compare` accepts on each side: a result.json, a run directory (holding one), or a
 * directory of runs (every result.json below it; `latest` links are not followed, so no run counts twice).
 * Every file is read with readResult: a missing, truncated or tampered file is a one-line usage
 * error naming it.
 */
import type { Dirent } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { usageError } from '../../harness/core/errors.ts';
import { type RunResult, readResult } from '../../harness/journal/index.ts';

export interface LoadedResult {
  path: string;
  result: RunResult;
}

const RESULT = 'result.json';

async function walk(dir: string, found: string[]): Promise<void> {
  let entries: Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (err) {
    throw usageError(
      'compare.read',
      `cannot read ${dir}: ${(err as Error).message}`,
      'give readable run directories',
    );
  }
  entries.sort((a, b) => a.name.localeCompare(b.name));
  for (const e of entries) {
    const path = join(dir, e.name);
    // Symlinks (runs/<experiment>/latest) point at runs found anyway.
    if (e.isDirectory()) await walk(path, found);
    else if (e.isFile() && e.name === RESULT) found.push(path);
  }
}

/** The result.json files a path stands for, sorted (by path, so by experiment and time). */
export async function resultFiles(path: string): Promise<string[]> {
  const full = resolve(path);
  const info = await stat(full).catch((err: Error) => {
    throw usageError(
      'compare.missing',
      `cannot read ${path}: ${err.message}`,
      'give a result.json or a run directory',
    );
  });
  if (info.isFile()) return [full];
  if (!info.isDirectory()) {
    throw usageError(
      'compare.path',
      `${path} is neither a file nor a directory`,
      'give a result.json or a run directory',
    );
  }
  const own = join(full, RESULT);
  if (
    await stat(own)
      .then((s) => s.isFile())
      .catch(() => false)
  )
    return [own];
  const found: string[] = [];
  await walk(full, found);
  if (found.length === 0) {
    throw usageError(
      'compare.empty',
      `no ${RESULT} under ${path}`,
      'give a run directory written by faultline run',
    );
  }
  return found;
}

/**
 * Every result a path stands for, validated. A run found twice (a `latest` link that became a real
 * directory when it was uploaded as a CI artifact) counts once.
 */
export async function loadResults(path: string): Promise<LoadedResult[]> {
  const files = await resultFiles(path);
  const loaded: LoadedResult[] = [];
  const seen = new Set<string>();
  for (const file of files) {
    const result = await readResult(file);
    const identity = JSON.stringify([
      result.experiment.name,
      result.variant,
      result.startedAt,
      result.environment.seed,
    ]);
    if (seen.has(identity)) continue;
    seen.add(identity);
    loaded.push({ path: file, result });
  }
  return loaded;
}
