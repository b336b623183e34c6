/**
 * A running embedded Toxiproxy with one proxy in front of a real loopback upstream, driven through
 * toxiproxy-node-client, plus recorders that time-stamp every byte and the way each socket ended.
 * Used by the toxic specs; `fixtureScope()` closes everything after each test.
 */
import type { Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import {
  type Proxy as ApiProxy,
  type Toxic,
  type ToxicDirection,
  type ToxicType,
  Toxiproxy,
} from 'toxiproxy-node-client';
import type { ToxiproxyServer } from '../../harness/toxiproxy/api-server.ts';
import { awaitClose, connect, listen, startToxiproxy, type TestServer } from './tcp.ts';

export const now = (): number => performance.now();

/** Records what one socket receives (with arrival times) and how it ends. */
export class Recorder {
  readonly chunks: { data: Buffer; at: number }[] = [];
  length = 0;
  /** When the peer's FIN, a reset, or the close arrived, whichever came first. */
  endedAt: number | undefined;
  how: 'end' | 'reset' | 'close' | undefined;
  /** Resolves once the socket has closed, with how it ended. */
  readonly closed: Promise<'end' | 'reset' | 'close'>;
  private readonly watchers = new Set<() => void>();

  constructor(readonly socket: Socket) {
    const ended = () => {
      this.endedAt ??= now();
    };
    socket.on('data', (data: Buffer) => {
      this.chunks.push({ data, at: now() });
      this.length += data.length;
      this.notify();
    });
    socket.once('end', ended);
    socket.on('error', ended);
    this.closed = awaitClose(socket).then(({ how }) => {
      ended();
      this.how = how;
      this.notify();
      return how;
    });
  }

  get data(): Buffer {
    return Buffer.concat(this.chunks.map((c) => c.data));
  }

  /**
   * Resolves with the arrival time of byte number `bytes`; rejects if the socket closes first, or
   * when given, if they have not all arrived within `withinMs`.
   */
  received(bytes: number, withinMs?: number): Promise<number> {
    return new Promise((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const settle = (error?: Error) => {
        this.watchers.delete(check);
        clearTimeout(timer);
        if (error) reject(error);
        else resolve(this.arrivalOf(bytes));
      };
      const check = () => {
        if (this.length >= bytes) settle();
        else if (this.how !== undefined) {
          settle(new Error(`socket ended (${this.how}) after ${this.length} of ${bytes} bytes`));
        }
      };
      this.watchers.add(check);
      check();
      if (withinMs !== undefined && this.watchers.has(check)) {
        timer = setTimeout(
          () => settle(new Error(`only ${this.length} of ${bytes} bytes arrived within ${withinMs} ms`)),
          withinMs,
        );
      }
    });
  }

  private arrivalOf(bytes: number): number {
    let seen = 0;
    for (const chunk of this.chunks) {
      seen += chunk.data.length;
      if (seen >= bytes) return chunk.at;
    }
    return now();
  }

  private notify(): void {
    for (const watcher of [...this.watchers]) watcher();
  }
}

export interface Connection {
  /** The test's client socket, connected to the proxy. */
  client: Recorder;
  /** The upstream server's side of the same connection. */
  server: Recorder;
}

export interface FixtureOptions {
  /** What the upstream does with each connection: echo it back (default), only record it, or custom. */
  upstream?: 'echo' | 'sink' | ((socket: Socket) => void);
  /** Seeds the server's toxicity rolls and jitter. */
  seed?: number;
}

export class ProxyFixture {
  /** Upstream-side sockets, in accept order. */
  readonly accepted: Recorder[] = [];
  private readonly clients: Socket[] = [];
  private readonly acceptWaiters = new Map<number, (r: Recorder) => void>();
  private connects = 0;
  server!: ToxiproxyServer;
  upstreamServer!: TestServer;
  proxy!: ApiProxy;

  /** Starts the upstream, the Toxiproxy server and the proxy (127.0.0.1, free ports). */
  async start(options: FixtureOptions = {}): Promise<this> {
    const mode = options.upstream ?? 'echo';
    this.upstreamServer = await listen((socket) => {
      const recorder = new Recorder(socket);
      const index = this.accepted.push(recorder) - 1;
      this.acceptWaiters.get(index)?.(recorder);
      this.acceptWaiters.delete(index);
      if (mode === 'echo') socket.pipe(socket);
      else if (typeof mode === 'function') mode(socket);
    });
    const { server, url } = await startToxiproxy(options.seed);
    this.server = server;
    this.proxy = await new Toxiproxy(url).createProxy({
      name: 'spec',
      listen: '127.0.0.1:0',
      upstream: this.upstreamServer.address,
    });
    return this;
  }

  /** Connects a client through the proxy; use sequentially (pairing is by accept order). */
  async connect(): Promise<Connection> {
    const index = this.connects++;
    const socket = await connect(this.proxy.listen);
    this.clients.push(socket);
    const client = new Recorder(socket);
    const server = await this.upstreamAt(index);
    return { client, server };
  }

  /** Connects a client without waiting for (or pairing with) its upstream connection. */
  async connectClient(): Promise<Recorder> {
    this.connects++;
    const socket = await connect(this.proxy.listen);
    this.clients.push(socket);
    return new Recorder(socket);
  }

  addToxic<T>(
    type: string,
    stream: ToxicDirection,
    attributes: T,
    options: { name?: string; toxicity?: number } = {},
  ): Promise<Toxic<T>> {
    return this.proxy.addToxic<T>({
      name: options.name ?? '',
      type: type as ToxicType,
      stream,
      toxicity: options.toxicity ?? 1,
      attributes,
    });
  }

  /** Changes some attributes (and optionally the toxicity) of a live toxic. */
  updateToxic<T>(toxic: Toxic<T>, attributes: Partial<T>, toxicity = toxic.toxicity): Promise<Toxic<T>> {
    return toxic.update({ ...toxic.toJson(), toxicity, attributes: { ...toxic.attributes, ...attributes } });
  }

  async close(): Promise<void> {
    for (const socket of this.clients) socket.destroy();
    await this.server?.close();
    await this.upstreamServer?.close();
  }

  private upstreamAt(index: number): Promise<Recorder> {
    const recorder = this.accepted[index];
    if (recorder) return Promise.resolve(recorder);
    return new Promise((resolve) => this.acceptWaiters.set(index, resolve));
  }
}

/** Call inside a `describe`: returns a starter whose fixtures are all closed after each test. */
export function fixtureScope(): (options?: FixtureOptions) => Promise<ProxyFixture> {
  const open: ProxyFixture[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((f) => f.close()));
  });
  return async (options) => {
    const fixture = new ProxyFixture();
    open.push(fixture);
    return fixture.start(options);
  };
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Timers never fire early, but a GC pause or a busy core on a shared 2-core machine can make anything
 * late, so lateness gets this much more room than `tolerance`. It stays far below every delay the
 * specs tell apart (0 vs 100 ms and more), so a toxic that ignores its delay still fails.
 */
export const LATE_SLACK_MS = 25;

/**
 * Asserts `actual` is no earlier than `expected - tolerance` and no later than
 * `expected + tolerance + LATE_SLACK_MS` (all in ms); SPEC_TIMING=1 prints each measurement.
 */
export function assertNear(actual: number, expected: number, tolerance: number, what: string): void {
  const late = tolerance + LATE_SLACK_MS;
  if (process.env.SPEC_TIMING)
    console.log(`      ${what}: ${actual.toFixed(1)} ms (want ${expected} -${tolerance}/+${late})`);
  if (actual < expected - tolerance || actual > expected + late) {
    throw new Error(
      `${what}: ${actual.toFixed(1)} ms, expected ${expected} ms -${tolerance}/+${late} ms (off by ${(actual - expected).toFixed(1)} ms)`,
    );
  }
}

/** Writes and resolves once the bytes are handed to the kernel (so timing starts at the write). */
export function write(socket: Socket, data: Buffer | string): Promise<void> {
  return new Promise((resolve, reject) => socket.write(data, (err) => (err ? reject(err) : resolve())));
}
