/** Real TCP peers for proxy tests: an echo server, a sink, and a client that collects bytes. */
import { type AddressInfo, createServer, type Server, Socket } from 'node:net';
import { ToxiproxyServer } from '../../harness/toxiproxy/api-server.ts';

export interface TestServer {
  server: Server;
  address: string;
  port: number;
  close(): Promise<void>;
}

/** Listens on a free loopback port; every socket is destroyed on close so tests never hang. */
export async function listen(onSocket: (socket: Socket) => void): Promise<TestServer> {
  const sockets = new Set<Socket>();
  const server = createServer({ allowHalfOpen: false }, (socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.once('close', () => sockets.delete(socket));
    onSocket(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    server,
    port,
    address: `127.0.0.1:${port}`,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Echoes every byte back. */
export function echoServer(): Promise<TestServer> {
  return listen((socket) => socket.pipe(socket));
}

export async function connect(address: string): Promise<Socket> {
  const [host, port] = splitAddress(address);
  const socket = new Socket();
  socket.on('error', () => undefined);
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.connect(port, host, () => {
      socket.off('error', reject);
      resolve();
    });
  });
  return socket;
}

export function splitAddress(address: string): [string, number] {
  const colon = address.lastIndexOf(':');
  return [address.slice(0, colon).replace(/^\[|\]$/g, ''), Number(address.slice(colon + 1))];
}

/** Resolves with exactly `bytes` bytes read from the socket (rejects if it closes first). */
export function readBytes(socket: Socket, bytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let got = 0;
    const onData = (data: Buffer) => {
      chunks.push(data);
      got += data.length;
      if (got >= bytes) {
        cleanup();
        resolve(Buffer.concat(chunks).subarray(0, bytes));
      }
    };
    const onClose = () => {
      cleanup();
      reject(new Error(`socket closed after ${got} of ${bytes} bytes`));
    };
    const cleanup = () => {
      socket.off('data', onData);
      socket.off('close', onClose);
    };
    socket.on('data', onData);
    socket.once('close', onClose);
  });
}

/** How a socket ended: 'end' (FIN), 'reset' (ECONNRESET), or 'close', and the bytes before it. */
export function awaitClose(socket: Socket): Promise<{ how: 'end' | 'reset' | 'close'; data: Buffer }> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let how: 'end' | 'reset' | 'close' = 'close';
    socket.on('data', (d: Buffer) => chunks.push(d));
    socket.once('end', () => {
      how = 'end';
    });
    socket.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'ECONNRESET') how = 'reset';
    });
    socket.once('close', () => resolve({ how, data: Buffer.concat(chunks) }));
  });
}

/** An embedded Toxiproxy server on a free loopback port, with its API URL. */
export async function startToxiproxy(seed?: number): Promise<{ server: ToxiproxyServer; url: string }> {
  const server = new ToxiproxyServer({ seed });
  const url = await server.listen(0, '127.0.0.1');
  return { server, url };
}
