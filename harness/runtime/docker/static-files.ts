/**
 * The docker runtime's static files: each web container gets its own copy of the app's staticDir at
 * create time, and a write puts the new file into every one of them, the way a deploy reaches each
 * server (and, like one, not at the very same instant).
 */
import { assetName, type StaticFiles, sourceFile } from '../static-files.ts';
import type { DockerService } from './docker-service.ts';
import { singleFileTar } from './single-file-tar.ts';

/** Where a web container finds the static files (its STATIC_DIR). */
export const DOCKER_STATIC_DIR = '/faultline/static';

export function dockerStaticFiles(sourceDir: string, webServers: () => DockerService[]): StaticFiles {
  const written = new Map<string, Buffer>();
  return {
    async read(name) {
      return written.get(assetName(name)) ?? sourceFile(sourceDir, name);
    },
    async write(name, content) {
      sourceFile(sourceDir, name);
      // One archive for all: the same file and mtime everywhere, so every server gives it one ETag.
      const tar = singleFileTar(name, content);
      await Promise.all(webServers().map((web) => web.putArchive(DOCKER_STATIC_DIR, tar)));
      written.set(name, content);
    },
  };
}
