/**
 * The local runtime's static files: one directory in the session that every instance serves, so a
 * write reaches all of them at once. Written by rename, so an instance never reads half a file.
 */
import { cpSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { assetName, type StaticFiles, sourceFile } from '../static-files.ts';
import type { LocalSession } from './session.ts';

/** Where the instances of a session find the static files (their STATIC_DIR). */
export const localStaticDir = (session: LocalSession) => session.path('static');

export function localStaticFiles(session: LocalSession, sourceDir: string): StaticFiles {
  const dir = localStaticDir(session);
  cpSync(sourceDir, dir, { recursive: true });
  let serial = 0;
  return {
    async read(name) {
      sourceFile(sourceDir, name); // a name the app never had is a usage error, not an ENOENT
      return readFileSync(join(dir, assetName(name)));
    },
    async write(name, content) {
      sourceFile(sourceDir, name);
      const path = join(dir, assetName(name));
      const temporary = `${path}.${process.pid}.${++serial}.tmp`;
      writeFileSync(temporary, content);
      renameSync(temporary, path);
    },
  };
}
