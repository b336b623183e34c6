/** A real HTTP server on loopback for load-generator specs, whose behaviour a test can steer. */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export type Handler = (req: IncomingMessage, res: ServerResponse) => void;

export interface HttpTarget {
  url: string;
  /** Requests seen so far (method, path and arrival time on performance.now()); OPTIONS are the generator's warm-up. */
  seen: { method: string; path: string; at: number }[];
  close(): Promise<void>;
}

export async function httpTarget(handler: Handler = (_, res) => res.end('ok')): Promise<HttpTarget> {
  const sockets = new Set<Socket>();
  const seen: HttpTarget['seen'] = [];
  const server = createServer((req, res) => {
    seen.push({ method: req.method ?? '', path: req.url ?? '', at: performance.now() });
    handler(req, res);
  });
  server.keepAliveTimeout = 30_000;
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
