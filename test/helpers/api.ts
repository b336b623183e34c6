/** Drives the Toxiproxy HTTP API in tests: raw requests, Go-style error checks, per-test cleanup. */
import assert from 'node:assert/strict';
import type { Socket } from 'node:net';
import type { ToxiproxyServer } from '../../harness/toxiproxy/api-server.ts';
import { connect, echoServer, listen, readBytes, startToxiproxy, type TestServer } from './tcp.ts';

export interface ApiReply {
  status: number;
  /** The Content-Type header, or null when absent. */
  type: string | null;
  text: string;
  headers: Headers;
}

/** A proxy as the real server marshals it (Proxy has an exported, empty `Logger` field). */
export interface ProxyJson {
  name: string;
  listen: string;
  upstream: string;
  enabled: boolean;
  Logger: Record<string, never>;
  toxics: unknown[];
}

export function proxyJson(
  name: string,
  listen: string,
  upstream: string,
  enabled = true,
  toxics: unknown[] = [],
) {
  return { name, listen, upstream, enabled, Logger: {}, toxics };
}

/** One embedded server, an echo upstream, and everything a test opens; close() frees it all. */
export class ApiFixture {
  url = '';
  private server: ToxiproxyServer | undefined;
  private servers: TestServer[] = [];
  private sockets: Socket[] = [];

  get echo(): TestServer {
    return this.servers[0] as TestServer;
  }

  async start(): Promise<void> {
    const { server, url } = await startToxiproxy(1);
    this.server = server;
    this.url = url;
    this.servers = [await echoServer()];
    this.sockets = [];
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await this.server?.close();
    await Promise.all(this.servers.map((s) => s.close()));
  }

  /** A raw request; a string body is sent as is, anything else as JSON. */
  async call(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<ApiReply> {
    const init: RequestInit = { method, headers: { 'User-Agent': 'faultline-test', ...headers } };
    if (body !== undefined) init.body = typeof body === 'string' ? body : JSON.stringify(body);
    const res = await fetch(this.url + path, init);
    return {
      status: res.status,
      type: res.headers.get('content-type'),
      text: await res.text(),
      headers: res.headers,
    };
  }

  /** A request expected to succeed with `status` and a JSON body. */
  async json<T = unknown>(method: string, path: string, body?: unknown, status = 200): Promise<T> {
    const reply = await this.call(method, path, body);
    assert.equal(reply.status, status, reply.text);
    assert.equal(reply.type, 'application/json');
    return JSON.parse(reply.text) as T;
  }

  /** Creates an enabled proxy on a free loopback port, to the echo server unless told otherwise. */
  createProxy(name: string, upstream = this.echo.address): Promise<ProxyJson> {
    return this.json('POST', '/proxies', { name, listen: '127.0.0.1:0', upstream }, 201);
  }

  /** A TCP server closed after the test; each connection gets `onSocket`. */
  async listen(onSocket: (socket: Socket) => void = () => undefined): Promise<TestServer> {
    const server = await listen(onSocket);
    this.servers.push(server);
    return server;
  }

  /** A client connection, destroyed after the test. */
  async connect(address: string): Promise<Socket> {
    const socket = await connect(address);
    this.sockets.push(socket);
    return socket;
  }

  /** Sends bytes through `address` and expects the echo back. */
  async roundTrip(address: string, text = 'ping'): Promise<void> {
    const socket = await this.connect(address);
    socket.write(text);
    assert.equal((await readBytes(socket, Buffer.byteLength(text))).toString(), text);
    socket.destroy();
  }
}

/** Go's http.Error(w, `{"error":...,"status":N}`, N): text/plain, nosniff, newline-terminated. */
export function assertApiError(reply: ApiReply, status: number, error: string | RegExp): void {
  assert.equal(reply.status, status, reply.text);
  assert.equal(reply.type, 'text/plain; charset=utf-8');
  assert.equal(reply.headers.get('x-content-type-options'), 'nosniff');
  if (typeof error === 'string') {
    assert.equal(reply.text, `${JSON.stringify({ error, status })}\n`);
  } else {
    assert.ok(reply.text.endsWith('}\n'), reply.text);
    const body = JSON.parse(reply.text) as { error: string; status: number };
    assert.deepEqual(Object.keys(body), ['error', 'status']);
    assert.equal(body.status, status);
    assert.match(body.error, error);
  }
}

export async function assertRefused(address: string): Promise<void> {
  await assert.rejects(connect(address), { code: 'ECONNREFUSED' });
}

/** A loopback port nobody listens on (briefly bound, then released). */
export async function freePort(): Promise<number> {
  const server = await listen(() => undefined);
  await server.close();
  return server.port;
}
