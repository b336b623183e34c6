/**
 * One proxy: a listener that accepts clients, dials the upstream for each, and joins the two through
 * a Link per direction (Toxiproxy's Proxy). Disabling closes the listener and every connection.
 */
import { createServer, type Server, Socket } from 'node:net';
import type { Random } from '../core/random.ts';
import { Link } from './link.ts';
import { type AddressError, formatHostPort, resolveHost, splitHostPort } from './listen-address.ts';
import { ToxicCollection } from './toxic-collection.ts';

export interface ProxyConfig {
  name: string;
  listen: string;
  upstream: string;
  enabled: boolean;
}

export class ToxicProxy {
  enabled = false;
  readonly toxics = new ToxicCollection();
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();

  constructor(
    readonly name: string,
    public listen: string,
    public upstream: string,
    private readonly random: Random,
  ) {}

  /** Go marshals Proxy's exported `Logger *zerolog.Logger` too: as an empty object, before the toxics. */
  toJSON() {
    const { name, listen, upstream, enabled } = this;
    return { name, listen, upstream, enabled, Logger: {}, toxics: this.toxics.list() };
  }

  /** Starts listening; rejects with Go's wording ("listen tcp 127.0.0.1:80: bind: ...") on failure. */
  async start(): Promise<void> {
    if (this.enabled) return;
    const { host, port } = listenParts(this.listen);
    const ip = await resolveHost(host).catch((err: Error) => {
      throw new Error(`listen tcp: ${err.message}`);
    });
    const server = createServer({ allowHalfOpen: true, pauseOnConnect: true, noDelay: true });
    server.on('connection', (client) => this.accept(client));
    await new Promise<void>((resolve, reject) => {
      server.once('error', (err: NodeJS.ErrnoException) => {
        reject(new Error(`listen tcp ${formatHostPort(ip, port)}: bind: ${bindReason(err)}`));
      });
      server.listen({ host: ip || undefined, port, exclusive: true }, () => resolve());
    });
    const address = server.address();
    if (address && typeof address === 'object') this.listen = formatHostPort(address.address, address.port);
    this.server = server;
    this.enabled = true;
  }

  /** Stops accepting and closes every open connection (clients see the close). */
  stop(): void {
    if (!this.enabled) return;
    this.enabled = false;
    this.server?.close();
    this.server = undefined;
    for (const socket of this.sockets) socket.destroy();
  }

  private accept(client: Socket): void {
    this.track(client);
    const upstream = new Socket({ allowHalfOpen: true });
    this.track(upstream);
    const { host, port } = upstreamParts(this.upstream);
    upstream.setNoDelay(true);
    // An unreachable upstream closes the client right away, as Toxiproxy does.
    upstream.once('error', () => client.destroy());
    upstream.connect({ host, port }, () => {
      upstream.removeAllListeners('error');
      upstream.on('error', () => undefined);
      this.join(client, upstream);
      client.resume();
    });
  }

  private join(client: Socket, upstream: Socket): void {
    const links = [
      new Link('upstream', client, upstream, this.random),
      new Link('downstream', upstream, client, this.random),
    ];
    for (const link of links) {
      this.toxics.attach(link);
      link.start(this.toxics.chain(link.direction));
    }
    const detach = () => {
      if (client.destroyed && upstream.destroyed) for (const link of links) this.toxics.detach(link);
    };
    client.once('close', detach);
    upstream.once('close', detach);
  }

  private track(socket: Socket): void {
    this.sockets.add(socket);
    socket.on('error', () => undefined); // peers resetting is normal under chaos; close handles it
    socket.once('close', () => this.sockets.delete(socket));
  }
}

function listenParts(listen: string) {
  try {
    return splitHostPort(listen === '' ? ':0' : listen);
  } catch (err) {
    throw new Error(`listen tcp: ${(err as AddressError).message}`);
  }
}

function upstreamParts(upstream: string) {
  try {
    const { host, port } = splitHostPort(upstream);
    return { host: host || 'localhost', port };
  } catch {
    return { host: upstream, port: 0 };
  }
}

function bindReason(err: NodeJS.ErrnoException): string {
  switch (err.code) {
    case 'EADDRINUSE':
      return 'address already in use';
    case 'EACCES':
      return 'permission denied';
    case 'EADDRNOTAVAIL':
      return 'cannot assign requested address';
    default:
      return err.message;
  }
}
