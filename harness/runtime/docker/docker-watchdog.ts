/**
 * Runs detached beside a harness using the docker runtime: when the harness process is gone (even by
 * kill -9), removes the session's containers and network. The session's close() ends it normally.
 */
import { isAlive } from '../local/process-identity.ts';
import { removeSession, type SessionOwner } from './docker-session.ts';
import { connectEngine } from './engine.ts';

const POLL_MS = 200;
const [id, ownerJson] = process.argv.slice(2);
if (!id || !ownerJson) process.exit(2);
const owner = JSON.parse(ownerJson) as SessionOwner;
const { docker } = await connectEngine();

const timer = setInterval(() => {
  if (isAlive(owner)) return;
  clearInterval(timer);
  removeSession(docker, id).finally(() => process.exit(0));
}, POLL_MS);
