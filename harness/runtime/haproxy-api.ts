/**
 * HAProxy's runtime API, on a unix socket (local runtime) or a TCP port (docker runtime): one command
 * per connection, answer until close.
 */
import { createConnection } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

/** A unix socket path, or where a TCP stats socket is reachable. */
export type HaproxyApi = string | { host: string; port: number };

export function haproxyCommand(api: HaproxyApi, command: string, timeoutMs = 2000): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = typeof api === 'string' ? createConnection(api) : createConnection(api);
    let answer = '';
    socket.setTimeout(timeoutMs, () => socket.destroy(new Error(`HAProxy did not answer "${command}"`)));
    socket.on('connect', () => socket.end(`${command}\n`));
    socket.on('data', (data) => {
      answer += data;
    });
    socket.on('error', reject);
    socket.on('close', () => resolve(answer));
  });
}

export interface ServerState {
  backend: string;
  server: string;
  /** UP, DOWN, MAINT, "UP 1/3" while going down... as HAProxy reports it. */
  status: string;
}

/** Per-server status from `show stat` (CSV: pxname, svname, ..., status is column 18). */
export async function serverStates(api: HaproxyApi): Promise<ServerState[]> {
  const csv = await haproxyCommand(api, 'show stat');
  const lines = csv.split('\n').filter((l) => l && !l.startsWith('#'));
  return lines
    .map((line) => line.split(','))
    .filter((f) => f[1] !== 'FRONTEND' && f[1] !== 'BACKEND')
    .map((f) => ({ backend: f[0] ?? '', server: f[1] ?? '', status: f[17] ?? '' }));
}

/** Resolves once the API answers and all `count` servers passed their health checks (HAProxy is ready). */
export async function allServersUp(api: HaproxyApi, count: number, signal: AbortSignal): Promise<void> {
  while (!signal.aborted) {
    const states = await serverStates(api).catch(() => []);
    if (states.length === count && states.every((s) => s.status === 'UP')) return;
    await sleep(100, undefined, { signal }).catch(() => undefined);
  }
}

/** Resolves once the API answers and `server` (the primary, in the write endpoint) passed its checks. */
export async function primaryRoutable(api: HaproxyApi, server: string, signal: AbortSignal): Promise<void> {
  while (!signal.aborted) {
    const states = await serverStates(api).catch(() => []);
    if (states.some((s) => s.server === server && s.status === 'UP')) return;
    await sleep(50, undefined, { signal }).catch(() => undefined);
  }
}
