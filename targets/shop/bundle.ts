/**
 * The shop as one plain-JavaScript file, run with plain `node` on both runtimes. The checkout's
 * node_modules hold tsx's esbuild binary for the host's platform (darwin on a Mac), which a Linux
 * container cannot run; and on the local runtime an instance is ready in ~0.3 s instead of the ~2 s
 * it takes to compile the sources through tsx (three at once on two cores). It is written beside the sources
 * (targets/shop/dist/, not tracked) so that paths relative to the module — static files and
 * schema.sql — resolve as from src/; packages resolve from the checkout's node_modules. The file is
 * named by its content's hash: concurrent runs never overwrite each other's, and an unchanged shop
 * is not written again.
 */
import { createHash } from 'node:crypto';
import { access, mkdir } from 'node:fs/promises';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { writeAtomically } from '../../harness/core/atomic-write.ts';
import { FaultlineError } from '../../harness/core/errors.ts';
import { PROJECT_ROOT } from '../../harness/core/project-root.ts';

const ENTRY = fileURLToPath(new URL('./src/server.ts', import.meta.url));
const DIST = fileURLToPath(new URL('./dist/', import.meta.url));

/** Builds (or finds) the bundle; returns its path relative to the project root (every instance's working directory). */
export async function bundleShop(): Promise<string> {
  const result = await build({
    entryPoints: [ENTRY],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    write: false,
    logLevel: 'silent',
  }).catch((err: Error) => {
    throw new FaultlineError(
      'shop.bundle',
      `cannot bundle the shop for containers: ${err.message.split('\n')[0]}`,
      'fix the shop sources (targets/shop/src)',
    );
  });
  const code = (result.outputFiles[0] as { contents: Uint8Array }).contents;
  const name = `server-${createHash('sha256').update(code).digest('hex').slice(0, 16)}.mjs`;
  const path = `${DIST}${name}`;
  const exists = await access(path).then(
    () => true,
    () => false,
  );
  if (!exists) {
    await mkdir(DIST, { recursive: true });
    await writeAtomically(path, code);
  }
  return relative(PROJECT_ROOT, path);
}
