/**
 * Files and links that are either there whole or not at all: each is made under a temporary name in
 * the same directory (so the rename never crosses a file system) and renamed into place. A failure
 * removes the temporary and rethrows, so nothing half-written or stray is ever left behind.
 */
import { randomBytes } from 'node:crypto';
import { rename, rm, symlink, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** A name beside `path` that no other process (or other call in this one) picks at the same time. */
function temporaryBeside(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
}

async function intoPlace(path: string, make: (temporary: string) => Promise<void>): Promise<void> {
  const temporary = temporaryBeside(path);
  try {
    await make(temporary);
    await rename(temporary, path);
  } catch (err) {
    await rm(temporary, { force: true });
    throw err;
  }
}

/** Writes `data` to `path` atomically. The directory must exist (callers decide whether to create it). */
export function writeAtomically(path: string, data: string | Uint8Array): Promise<void> {
  return intoPlace(path, (temporary) => writeFile(temporary, data));
}

/** Points the symlink `path` at `target`, replacing any link there in one step. */
export function symlinkAtomically(target: string, path: string): Promise<void> {
  return intoPlace(path, (temporary) => symlink(target, temporary));
}
