/**
 * Helpers for the shop's specs: real PostgreSQL and Redis from the local runtime, the app listening on
 * a free loopback port, and a tiny HTTP client that keeps cookies the way a browser would.
 */
import type { FastifyInstance } from 'fastify';
import { type Proxy as ApiProxy, Toxiproxy } from 'toxiproxy-node-client';
import type { LocalService } from '../../../harness/runtime/local/local-service.ts';
import {
  type PostgresNode,
  query,
  startPrimary,
  startReplica,
  waitStreaming,
  withClient,
} from '../../../harness/runtime/local/postgres.ts';
import type { LocalSession } from '../../../harness/runtime/local/session.ts';
import { freePort } from '../../../harness/runtime/ports.ts';
import { ToxiproxyServer } from '../../../harness/toxiproxy/api-server.ts';
import { buildApp } from './app.ts';
import { type ShopConfig, validateConfig } from './config.ts';
import { seedDatabase } from './seed.ts';

export const PRODUCTS = 200;

/** A primary with the shop's schema and PRODUCTS seeded rows. */
export async function startSeededPrimary(session: LocalSession): Promise<PostgresNode> {
  const primary = await startPrimary(session, 'pg-primary', await freePort());
  await withClient(primary.port, (client) => seedDatabase(client, PRODUCTS));
  return primary;
}

/** A streaming replica cloned from `upstreamPort` (the primary, or a proxy in front of it). */
export async function startStreamingReplica(
  session: LocalSession,
  name: string,
  primaryPort: number,
  upstreamPort = primaryPort,
): Promise<PostgresNode> {
  const replica = await startReplica(session, name, await freePort(), upstreamPort);
  await waitStreaming(primaryPort, name, AbortSignal.timeout(10_000));
  return replica;
}

const CHECKSUM = 'SELECT count(*)::int AS n, coalesce(sum(version), 0)::bigint::text AS v FROM products';

/**
 * Resolves once the replica holds the same products as the primary. Compares the data, not LSNs:
 * right after a WAL segment switch the primary's insert position sits past a page header that a
 * replica's replay position never reports until more WAL arrives.
 */
export async function waitReplayed(
  primaryPort: number,
  replicaPort: number,
  timeoutMs = 10_000,
): Promise<void> {
  const [want] = await query<{ n: number; v: string }>(primaryPort, CHECKSUM);
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const [have] = await query<{ n: number; v: string }>(replicaPort, CHECKSUM).catch(() => []);
    if (have && want && have.n === want.n && have.v === want.v) return;
    await delay(20);
  }
  throw new Error(`replica on ${replicaPort} did not catch up with the primary within ${timeoutMs} ms`);
}

/** Kills the services (their whole process trees) and removes the session's files. */
export async function closeSession(
  session: LocalSession | undefined,
  services: (LocalService | undefined)[],
) {
  await Promise.all(services.map((s) => s?.kill('SIGKILL')));
  session?.close();
}

/** The embedded Toxiproxy server, driven like the real one through toxiproxy-node-client. */
export async function startToxiproxy(): Promise<{ server: ToxiproxyServer; api: Toxiproxy }> {
  const server = new ToxiproxyServer();
  const url = await server.listen(0, '127.0.0.1');
  return { server, api: new Toxiproxy(url) };
}

/** A proxy `name` to the loopback `upstreamPort`; listens on `listenPort`, or a free port. */
export async function createProxy(
  api: Toxiproxy,
  name: string,
  upstreamPort: number,
  listenPort = 0,
): Promise<{ proxy: ApiProxy; port: number }> {
  const proxy = await api.createProxy({
    name,
    listen: `127.0.0.1:${listenPort}`,
    upstream: `127.0.0.1:${upstreamPort}`,
  });
  return { proxy, port: Number(proxy.listen.slice(proxy.listen.lastIndexOf(':') + 1)) };
}

/** A config with the given overrides; the primary defaults to a port nothing listens on. */
export function shopConfig(overrides: Record<string, unknown> = {}): ShopConfig {
  return validateConfig({ name: 'web-1', port: 0, primary: { port: 1 }, ...overrides });
}

export interface RunningShop {
  app: FastifyInstance;
  url: string;
  close(): Promise<void>;
}

export async function startShop(config: ShopConfig): Promise<RunningShop> {
  const app = await buildApp(config);
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  return { app, url, close: () => app.close() };
}

export interface Reply {
  status: number;
  headers: Headers;
  body: unknown;
  /** Wall time of the request in ms. */
  ms: number;
}

/** A client with a cookie jar (name=value only, which is all the shop needs). */
export class Browser {
  readonly cookies = new Map<string, string>();

  async request(
    url: string,
    init: { method?: string; json?: unknown; headers?: Record<string, string> } = {},
  ) {
    const headers: Record<string, string> = { ...init.headers };
    if (this.cookies.size) headers.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    if (init.json !== undefined) headers['content-type'] = 'application/json';
    const started = performance.now();
    const response = await fetch(url, {
      method: init.method ?? 'GET',
      headers,
      body: init.json === undefined ? undefined : JSON.stringify(init.json),
    });
    const text = await response.text();
    const ms = performance.now() - started;
    for (const cookie of response.headers.getSetCookie()) {
      const [pair = ''] = cookie.split(';');
      const at = pair.indexOf('=');
      const name = pair.slice(0, at);
      const value = pair.slice(at + 1);
      if (value === '' || /expires=Thu, 01 Jan 1970/i.test(cookie)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    let body: unknown = text;
    if (response.headers.get('content-type')?.includes('application/json')) body = JSON.parse(text);
    return { status: response.status, headers: response.headers, body, ms } satisfies Reply;
  }

  get(url: string): Promise<Reply> {
    return this.request(url);
  }

  post(url: string, json?: unknown): Promise<Reply> {
    return this.request(url, { method: 'POST', json });
  }
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
