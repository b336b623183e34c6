/** A TypeScript script run as a detached process that outlives this one (the sessions' watchdogs). */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** Starts `script` with `args` in its own session, not waited for; returns its pid. */
export function spawnDetached(script: URL, args: string[]): number | undefined {
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(script), ...args], {
    detached: true,
    stdio: 'ignore',
  });
  child.unref();
  return child.pid;
}
