/**
 * The web tier's static files as faultline holds them: a copy of the app's staticDir that every
 * instance serves (STATIC_DIR in the contract), so a fault can change an asset at the origin the way
 * a deploy would. Each runtime keeps the copy where its instances read it.
 */
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { usageError } from '../core/errors.ts';

export interface StaticFiles {
  /** The file's content at the origin now. */
  read(name: string): Promise<Buffer>;
  /** Puts new content in place for every web instance, as a deploy would. */
  write(name: string, content: Buffer): Promise<void>;
}

/** A file name the app serves directly under its static prefix: no directories, no dot files. */
export function assetName(name: string): string {
  if (basename(name) !== name || name.startsWith('.'))
    throw usageError(
      'static.asset',
      `"${name}" is not a file name`,
      'name a file of the app’s staticDir, like "app.css"',
    );
  return name;
}

/** The content of `name` in the app's own staticDir, a usage error naming the file when it has none. */
export function sourceFile(sourceDir: string, name: string): Buffer {
  try {
    return readFileSync(join(sourceDir, assetName(name)));
  } catch (err) {
    if ((err as { code?: string }).code !== 'ENOENT') throw err;
    throw usageError(
      'static.asset',
      `the app has no static file "${name}" (in ${sourceDir})`,
      'name a file of the app’s staticDir',
    );
  }
}
