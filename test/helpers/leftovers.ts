/**
 * Processes a spec left behind: members of the given process groups, or anything whose command line
 * names the spec's own session root (PostgreSQL's data directory, a service's config file).
 */
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { reapSession } from '../../harness/runtime/local/session.ts';

/**
 * Gives a mocha suite its own FAULTLINE_TMP, so its local sessions (and only them) live there; after
 * the suite, any session a failure leaked is reaped and the root removed. Returns the root's getter.
 */
export function ownSessionRoot(prefix: string): () => string {
  let root = '';
  let previous: string | undefined;
  before(() => {
    root = mkdtempSync(join(tmpdir(), prefix));
    chmodSync(root, 0o755); // PostgreSQL runs as its own user when we are root
    previous = process.env.FAULTLINE_TMP;
    process.env.FAULTLINE_TMP = root;
  });
  after(() => {
    if (previous === undefined) delete process.env.FAULTLINE_TMP;
    else process.env.FAULTLINE_TMP = previous;
    for (const id of readdirSync(join(root, 'sessions'))) reapSession(join(root, 'sessions', id));
    rmSync(root, { recursive: true, force: true });
  });
  return () => root;
}

export function leftovers(groups: number[], root: string): string[] {
  const found: string[] = [];
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const [state, , pgid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ').trim();
      if (state !== 'Z' && (groups.includes(Number(pgid)) || cmdline.includes(root))) {
        found.push(`${pid} ${cmdline}`);
      }
    } catch {
      // it exited while being read
    }
  }
  return found;
}

/** Waits (up to 10 s) until no process names the session root and no session directory is left. */
export async function nothingLeftUnder(root: string, what: string): Promise<void> {
  let left = leftovers([], root);
  for (let i = 0; (left.length || readdirSync(join(root, 'sessions')).length) && i < 100; i++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    left = leftovers([], root);
  }
  assert.deepEqual(left, [], `no ${what} process is left`);
  assert.deepEqual(readdirSync(join(root, 'sessions')), [], 'no session directory is left');
}
