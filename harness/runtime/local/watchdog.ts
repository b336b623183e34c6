/**
 * Runs detached beside a harness: when the harness process is gone (even by kill -9), kills the
 * session's processes and removes its files. Exits quietly once the session directory is gone.
 */
import { existsSync } from 'node:fs';
import type { ProcessIdentity } from './process-identity.ts';
import { isAlive } from './process-identity.ts';
import { reapSession } from './session.ts';

const POLL_MS = 200;
const [dir, ownerJson] = process.argv.slice(2);
if (!dir || !ownerJson) process.exit(2);
const owner = JSON.parse(ownerJson) as ProcessIdentity;

const timer = setInterval(() => {
  if (!existsSync(dir)) {
    clearInterval(timer);
  } else if (!isAlive(owner)) {
    clearInterval(timer);
    reapSession(dir);
  }
}, POLL_MS);
