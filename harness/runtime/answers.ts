/** Does a service answer its own protocol right now? (Readiness after a restart, and fault probes.) */
import { connect } from 'node:net';
import pg from 'pg';
import { createClient } from 'redis';

/** Redis answers PING with +PONG within the timeout. */
export function redisPing(host: string, port: number, timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    let answer = '';
    const done = (ok: boolean) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(ok);
    };
    const timer = setTimeout(() => done(false), timeoutMs);
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.on('data', (data) => {
      answer += data;
      if (answer.includes('\r\n')) done(answer.startsWith('+PONG'));
    });
    socket.once('error', () => done(false));
  });
}

/** Any HTTP answer (even a 5xx) within the timeout. */
export async function httpAnswers(url: string, timeoutMs = 1000): Promise<boolean> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    await response.arrayBuffer();
    return true;
  } catch {
    return false;
  }
}

/** Runs `work` on one short-lived Redis connection; a server that dies meanwhile never crashes the harness. */
export async function redisSession<T>(
  host: string,
  port: number,
  connectTimeoutMs: number,
  work: (client: RedisClient) => Promise<T>,
): Promise<T> {
  const client = createClient({
    socket: { host, port, connectTimeout: connectTimeoutMs, reconnectStrategy: false },
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return await work(client);
  } finally {
    client.destroy();
  }
}

export type RedisClient = ReturnType<typeof createClient>;

/** Runs `work` on one short-lived superuser connection (database postgres), bounded by `timeoutMs` per step. */
export async function sqlSession<T>(
  host: string,
  port: number,
  timeoutMs: number,
  work: (client: pg.Client) => Promise<T>,
): Promise<T> {
  const client = new pg.Client({
    host,
    port,
    user: 'postgres',
    database: 'postgres',
    connectionTimeoutMillis: timeoutMs,
    query_timeout: timeoutMs,
  });
  client.on('error', () => undefined); // a dying server must not crash the harness
  try {
    await client.connect();
    return await work(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** PostgreSQL answers SELECT 1 (superuser, database postgres) within the timeout. */
export function sqlAnswers(host: string, port: number, timeoutMs = 1000): Promise<boolean> {
  return sqlSession(host, port, timeoutMs, async (c) => (await c.query('SELECT 1')).rowCount === 1).catch(
    () => false,
  );
}

/**
 * Whether a service answers its own protocol, chosen by its ports' roles: Redis PING, PostgreSQL
 * SELECT 1, any HTTP answer from a web server, LB or CDN, Toxiproxy's /version. Never a bare TCP
 * connect: a container engine's port proxy accepts connections for a service that is not there.
 */
export function serviceAnswers(
  service: { host: string; ports: Readonly<Record<string, number>> },
  timeoutMs = 1000,
): Promise<boolean> {
  const { host, ports } = service;
  if (ports.redis !== undefined) return redisPing(host, ports.redis, timeoutMs);
  if (ports.postgres !== undefined) return sqlAnswers(host, ports.postgres, timeoutMs);
  if (ports.http !== undefined) return httpAnswers(`http://${host}:${ports.http}/healthz`, timeoutMs);
  if (ports.api !== undefined) return httpAnswers(`http://${host}:${ports.api}/version`, timeoutMs);
  return Promise.resolve(false);
}
