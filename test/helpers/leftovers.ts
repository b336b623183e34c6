/**
 * Processes a spec left behind: members of the given process groups, or anything whose command line
 * names the spec's own session root (PostgreSQL's data directory, a service's config file).
 */
import { readdirSync, readFileSync } from 'node:fs';

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
