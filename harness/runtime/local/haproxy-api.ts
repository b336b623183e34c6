/** HAProxy's runtime API on its unix socket: one command per connection, answer until close. */
import { createConnection } from 'node:net';

export function haproxyCommand(socketPath: string, command: string, timeoutMs = 2000): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = createConnection(socketPath);
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
export async function serverStates(socketPath: string): Promise<ServerState[]> {
  const csv = await haproxyCommand(socketPath, 'show stat');
  const lines = csv.split('\n').filter((l) => l && !l.startsWith('#'));
  return lines
    .map((line) => line.split(','))
    .filter((f) => f[1] !== 'FRONTEND' && f[1] !== 'BACKEND')
    .map((f) => ({ backend: f[0] ?? '', server: f[1] ?? '', status: f[17] ?? '' }));
}
