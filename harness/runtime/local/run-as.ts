/** Which OS user runs services that refuse root (PostgreSQL): `postgres` when we are root. */
import { execFileSync } from 'node:child_process';
import { chownSync } from 'node:fs';

export interface RunAs {
  uid: number;
  gid: number;
}

export function serviceUser(): RunAs | undefined {
  if (process.getuid?.() !== 0) return undefined;
  try {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    return { uid, gid };
  } catch {
    return undefined;
  }
}

export function chownTo(path: string, user: RunAs | undefined): void {
  if (user) chownSync(path, user.uid, user.gid);
}
