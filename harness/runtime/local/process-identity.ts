/**
 * A process identified by pid *and* start time, so a recycled pid is never mistaken for the process
 * we started (Linux /proc).
 */
import { readdirSync, readFileSync } from 'node:fs';

export interface ProcessIdentity {
  pid: number;
  /** Field 22 of /proc/<pid>/stat: clock ticks after boot when the process started. */
  startTime: string;
}

/** Start time of a live process; undefined when it is gone or a zombie (dead, not yet reaped). */
export function startTimeOf(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may contain spaces; fields after its closing paren are plain.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return fields[0] === 'Z' || fields[0] === 'X' ? undefined : fields[19];
  } catch {
    return undefined;
  }
}

export function identify(pid: number): ProcessIdentity | undefined {
  const startTime = startTimeOf(pid);
  return startTime === undefined ? undefined : { pid, startTime };
}

/** True only for the very process identified; a malformed identity (e.g. a damaged label) is not alive. */
export function isAlive(identity: ProcessIdentity): boolean {
  if (!Number.isInteger(identity.pid) || identity.pid <= 0) return false;
  const startTime = startTimeOf(identity.pid);
  return startTime !== undefined && startTime === identity.startTime;
}

/** Signals a whole process group; false when it no longer exists. */
export function signalGroup(pgid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false;
  }
}

/** `root` and all its descendants, found through the parent pids in /proc. */
export function processTree(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // it exited while we looked
    }
  }
  const tree = [root];
  for (let i = 0; i < tree.length; i++) tree.push(...(children.get(tree[i] as number) ?? []));
  return tree;
}

/**
 * Signals a service's process group and every descendant of its leader. Groups alone are not
 * enough: PostgreSQL backends call setsid(), so SIGSTOP or SIGKILL to the postmaster's group would
 * miss them. Returns false when the leader's group no longer exists.
 */
export function signalTree(leader: number, signal: NodeJS.Signals): boolean {
  const tree = processTree(leader);
  const delivered = signalGroup(leader, signal);
  for (const pid of tree.slice(1)) {
    try {
      process.kill(pid, signal);
    } catch {
      // already gone
    }
  }
  return delivered;
}
