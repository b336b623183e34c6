/**
 * A local runtime session: one directory under the faultline temp root holding the owner's identity,
 * one file per started process group, and the services' data. Whatever happens to the harness —
 * normal exit, Ctrl-C, SIGTERM or kill -9 — the session's processes and files are removed: by
 * close(), by the watchdog process that notices the owner died, or by the reaper at the next start.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnDetached } from '../detached.ts';
import { identify, isAlive, type ProcessIdentity, signalTree } from './process-identity.ts';

export function defaultRoot(): string {
  return process.env.FAULTLINE_TMP ?? join(tmpdir(), 'faultline');
}

const OWNER = 'owner.json';
const GROUPS = 'groups';

export class LocalSession {
  private constructor(
    readonly id: string,
    readonly dir: string,
  ) {}

  /** Reaps dead sessions' leftovers, then opens a new session owned by this process. */
  static open(root = defaultRoot()): LocalSession {
    reapLeftovers(root);
    const id = `${new Date()
      .toISOString()
      .replace(/[-:.TZ]/g, '')
      .slice(0, 14)}-${randomBytes(3).toString('hex')}`;
    const dir = join(root, 'sessions', id);
    mkdirSync(join(dir, GROUPS), { recursive: true, mode: 0o755 });
    const owner = identify(process.pid) as ProcessIdentity;
    writeFileSync(join(dir, OWNER), JSON.stringify(owner));
    startWatchdog(dir, owner);
    return new LocalSession(id, dir);
  }

  path(...parts: string[]): string {
    return join(this.dir, ...parts);
  }

  /** Remembers a started process group so it is killed if the harness dies. */
  track(name: string, pgid: number): void {
    const identity = identify(pgid);
    if (identity) writeFileSync(join(this.dir, GROUPS, `${pgid}`), JSON.stringify({ name, ...identity }));
  }

  untrack(pgid: number): void {
    rmSync(join(this.dir, GROUPS, `${pgid}`), { force: true });
  }

  /** Kills whatever is still tracked and deletes the session directory. */
  close(): void {
    reapSession(this.dir);
  }
}

/** Kills every tracked process group of a session and removes its directory. */
export function reapSession(dir: string): number {
  let killed = 0;
  let entries: string[] = [];
  try {
    entries = readdirSync(join(dir, GROUPS));
  } catch {
    // no groups directory: nothing was started
  }
  for (const entry of entries) {
    const file = join(dir, GROUPS, entry);
    try {
      const group = JSON.parse(readFileSync(file, 'utf8')) as ProcessIdentity;
      if (isAlive(group) && signalTree(group.pid, 'SIGKILL')) killed++;
      unlinkSync(file);
    } catch {
      // a half-written file from a crash: the group was never confirmed started
    }
  }
  rmSync(dir, { recursive: true, force: true });
  return killed;
}

/** Reaps every session whose owner is no longer alive; returns how many sessions were reaped. */
export function reapLeftovers(root = defaultRoot()): number {
  let reaped = 0;
  let sessions: string[] = [];
  try {
    sessions = readdirSync(join(root, 'sessions'));
  } catch {
    return 0;
  }
  for (const id of sessions) {
    const dir = join(root, 'sessions', id);
    if (ownerAlive(dir)) continue;
    reapSession(dir);
    reaped++;
  }
  return reaped;
}

function ownerAlive(dir: string): boolean {
  try {
    return isAlive(JSON.parse(readFileSync(join(dir, OWNER), 'utf8')) as ProcessIdentity);
  } catch {
    return false;
  }
}

/** A detached helper that reaps the session within a fraction of a second of the owner dying. */
function startWatchdog(dir: string, owner: ProcessIdentity): void {
  spawnDetached(new URL('./watchdog.ts', import.meta.url), [dir, JSON.stringify(owner)]);
}
