/**
 * The Toxiproxy 2.12 HTTP API (api.go): same routes, status codes, JSON shapes and error texts, so
 * toxiproxy clients and scripts work unchanged. Requests are handled one at a time, which gives the
 * same guarantees as the real server's locks.
 */
import { randomFillSync, randomInt } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Logger, silentLogger } from '../core/logger.ts';
import { createRandom } from '../core/random.ts';
import { SerialQueue } from '../core/serial-queue.ts';
import { ApiError, toApiError } from './api-error.ts';
import { marshal, parseBody } from './go-json.ts';
import { decodeProxy, PopulateError, ProxyCollection, requireFields } from './proxy-collection.ts';

export const TOXIPROXY_VERSION = '2.12.0';
const MAX_BODY_BYTES = 16 * 1024 * 1024;

interface Reply {
  status: number;
  body?: unknown;
}
type Handler = (params: string[], body: () => Promise<unknown>) => Promise<Reply>;
interface Route {
  pattern: RegExp;
  methods: Record<string, Handler>;
}

export interface ToxiproxyServerOptions {
  /** Seeds toxicity rolls and jitter, for reproducible runs. */
  seed?: number | undefined;
  /** Each API call is logged at debug level, failures at warn. */
  logger?: Logger;
}

export class ToxiproxyServer {
  readonly proxies: ProxyCollection;
  private readonly queue = new SerialQueue();
  private readonly routes: Route[];
  private http: Server | undefined;
  private readonly log: Logger;

  constructor(options: ToxiproxyServerOptions = {}) {
    this.proxies = new ProxyCollection(createRandom(options.seed));
    this.log = options.logger ?? silentLogger;
    this.routes = this.buildRoutes();
  }

  /** Listens on host:port (port 0 picks a free one) and returns the API's base URL. */
  async listen(port = 8474, host = '127.0.0.1'): Promise<string> {
    const http = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve, reject) => {
      http.once('error', reject);
      http.listen({ port, host, exclusive: true }, () => resolve());
    });
    this.http = http;
    const address = http.address() as AddressInfo;
    const shown = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    return `http://${shown}:${address.port}`;
  }

  /** Stops the API and every proxy, closing all proxied connections. */
  async close(): Promise<void> {
    this.proxies.closeAll();
    const http = this.http;
    this.http = undefined;
    if (!http) return;
    http.closeAllConnections();
    await new Promise<void>((resolve) => http.close(() => resolve()));
  }

  /** Creates proxies from a populate-style array (used by --config). */
  populate(config: unknown) {
    return this.queue.run(() => this.proxies.populate(config));
  }

  private buildRoutes(): Route[] {
    const p = this.proxies;
    const ok = (body: unknown, status = 200): Reply => ({ status, body });
    const noContent: Reply = { status: 204 };
    // Like the real server, an update finds its proxy (and toxic) before it reads the body: 404 first.
    const updateProxy: Handler = async ([name], body) => {
      p.get(name as string);
      return ok(await p.update(name as string, await body()));
    };
    const updateToxic: Handler = async ([name, toxic], body) => {
      const toxics = p.get(name as string).toxics;
      toxics.get(toxic as string);
      return ok(await toxics.update(toxic as string, await body()));
    };
    return [
      {
        pattern: /^\/reset$/,
        methods: {
          POST: async () => {
            await this.reset();
            return noContent;
          },
        },
      },
      {
        pattern: /^\/proxies$/,
        methods: {
          GET: async () => ok(Object.fromEntries(p.all().map((x) => [x.name, x]))),
          POST: async (_, body) => {
            const defaults = { name: '', listen: '', upstream: '', enabled: true };
            return ok(await p.add(requireFields(decodeProxy(await body(), defaults))), 201);
          },
        },
      },
      { pattern: /^\/populate$/, methods: { POST: async (_, body) => this.populateReply(body) } },
      {
        pattern: /^\/proxies\/([^/]+)$/,
        methods: {
          GET: async ([name]) => ok(p.get(name as string)),
          POST: updateProxy,
          PATCH: updateProxy,
          DELETE: async ([name]) => {
            p.remove(name as string);
            return noContent;
          },
        },
      },
      {
        pattern: /^\/proxies\/([^/]+)\/toxics$/,
        methods: {
          GET: async ([name]) => ok(p.get(name as string).toxics.list()),
          // The real server answers 200, not 201, to a created toxic.
          POST: async ([name], body) => {
            const toxics = p.get(name as string).toxics;
            return ok(await toxics.add(await body()));
          },
        },
      },
      {
        pattern: /^\/proxies\/([^/]+)\/toxics\/([^/]+)$/,
        methods: {
          GET: async ([name, toxic]) => ok(p.get(name as string).toxics.get(toxic as string)),
          POST: updateToxic,
          PATCH: updateToxic,
          DELETE: async ([name, toxic]) => {
            await p.get(name as string).toxics.remove(toxic as string);
            return noContent;
          },
        },
      },
      { pattern: /^\/version$/, methods: { GET: async () => ({ status: 200, body: VERSION_BODY }) } },
    ];
  }

  private async reset(): Promise<void> {
    for (const proxy of this.proxies.all()) {
      await proxy.start();
      await proxy.toxics.reset();
    }
  }

  /** Populate answers every error, an unreadable body included, in its own JSON with the proxies done. */
  private async populateReply(body: () => Promise<unknown>): Promise<Reply> {
    try {
      const proxies = await this.proxies.populate(await body());
      return { status: 201, body: { proxies: proxies.length ? proxies : null } };
    } catch (err) {
      const error = toApiError(err);
      const done = err instanceof PopulateError && err.proxies.length ? err.proxies : null;
      return { status: error.status, body: { ...error.toJSON(), proxies: done } };
    }
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = decodePath(req.url ?? '/');
    const route = this.routes.find((r) => r.pattern.test(path));
    // As with gorilla/mux, requests matching no route skip the middleware below (request id, 403).
    if (!route) return httpError(res, 404, '404 page not found');
    const handler = route.methods[req.method ?? ''];
    if (!handler) {
      res.writeHead(405, { 'Content-Length': 0 }).end(); // gorilla/mux's bare 405
      return;
    }
    res.setHeader('X-Toxiproxy-Request-Id', requestId());
    // Like the real server: refuse browsers, so a web page cannot drive the API (CSRF).
    if ((req.headers['user-agent'] ?? '').startsWith('Mozilla/')) {
      return httpError(res, 403, 'User agent not allowed');
    }
    const params = (route.pattern.exec(path) ?? []).slice(1);
    const body = readBody(req);
    body.catch(() => undefined);
    try {
      const reply = await this.queue.run(() => handler(params, () => body));
      this.log.debug(`${req.method} ${path} ${reply.status}`);
      sendReply(res, reply);
    } catch (err) {
      const error = toApiError(err);
      this.log.warn(`${req.method} ${path} ${error.status}: ${error.message}`);
      httpError(res, error.status, marshal(error));
    }
  }
}

const VERSION_BODY = Symbol('version');

function sendReply(res: ServerResponse, reply: Reply): void {
  if (reply.body === undefined) {
    res.writeHead(reply.status).end();
  } else if (reply.body === VERSION_BODY) {
    const text = `{"version": "${TOXIPROXY_VERSION}"}\n`;
    res.writeHead(200, { 'Content-Type': 'application/json;charset=utf-8', 'Content-Length': text.length });
    res.end(text);
  } else {
    const text = marshal(reply.body);
    res.writeHead(reply.status, {
      'Content-Type': 'application/json',
      'Content-Length': Buffer.byteLength(text),
    });
    res.end(text);
  }
}

/** Go's http.Error: the text, newline-terminated, as text/plain with nosniff. */
function httpError(res: ServerResponse, status: number, text: string): void {
  const body = `${text}\n`;
  res.writeHead(status, {
    'Content-Type': 'text/plain; charset=utf-8',
    'X-Content-Type-Options': 'nosniff',
    'Content-Length': Buffer.byteLength(body),
  });
  res.end(body);
}

const BASE32HEX = '0123456789abcdefghijklmnopqrstuv';
let requestCounter = randomInt(0x1000000);

/** An rs/xid-style id, as hlog.RequestIDHandler sets: seconds, 5 random bytes, a counter; 20 characters. */
function requestId(): string {
  const id = Buffer.alloc(12);
  id.writeUInt32BE(Math.floor(Date.now() / 1000) >>> 0, 0);
  randomFillSync(id, 4, 5);
  requestCounter = (requestCounter + 1) & 0xffffff;
  id.writeUIntBE(requestCounter, 9, 3);
  let text = '';
  let value = 0;
  let bits = 0;
  for (const byte of id) {
    value = ((value << 8) | byte) & 0xffff;
    bits += 8;
    for (; bits >= 5; bits -= 5) text += BASE32HEX[(value >>> (bits - 5)) & 31];
  }
  return text + BASE32HEX[(value << (5 - bits)) & 31];
}

function decodePath(url: string): string {
  const path = url.split('?')[0] ?? '/';
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new ApiError('bad request body: http: request body too large', 400);
    chunks.push(chunk);
  }
  return parseBody(Buffer.concat(chunks));
}
