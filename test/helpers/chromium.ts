/**
 * Headless Chromium for the browser specs, found or installed the way the services are: on Debian as
 * root a missing `chromium` (and a font to draw text with) is installed on first use; elsewhere the
 * spec fails with one line naming the package. `CHROMIUM` names a browser of the user's own.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { createLogger } from '../../harness/core/logger.ts';
import { findBinary } from '../../harness/runtime/local/binaries.ts';
import { binaryCheck, type Check, ensureChecks } from '../../harness/runtime/local/prerequisites.ts';

const run = promisify(execFile);

function chromiumPath(): string | undefined {
  return process.env.CHROMIUM ?? findBinary('chromium') ?? findBinary('chromium-browser');
}

/** Without any font, Chromium draws no text and a report page renders as boxes. */
async function fontCheck(): Promise<Check> {
  const fonts = await run('fc-list', [], { timeout: 10_000 }).then(
    ({ stdout }) => stdout.trim().split('\n').filter(Boolean).length,
    () => 0,
  );
  return fonts > 0
    ? { name: 'fonts', ok: true, detail: `${fonts} fonts` }
    : {
        name: 'fonts',
        ok: false,
        detail: 'no font for Chromium to draw text with',
        debianPackage: 'fonts-dejavu-core',
        fix: 'apt-get install -y fonts-dejavu-core',
      };
}

async function browserChecks(): Promise<Check[]> {
  const path = chromiumPath();
  const chromium: Check = path
    ? { name: 'chromium', ok: true, detail: path }
    : await binaryCheck('chromium', 'chromium', 'chromium', ['--version'], /(\d+\.\S+)/);
  return [chromium, await fontCheck()];
}

/** The browser's path, after installing it when this machine lets us. */
export async function ensureChromium(): Promise<string> {
  await ensureChecks(browserChecks, createLogger('info'));
  const path = chromiumPath();
  if (!path) throw new Error('chromium was installed but is not on PATH: set CHROMIUM to its path');
  return path;
}
