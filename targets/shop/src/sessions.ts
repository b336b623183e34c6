/**
 * Login and cart, backed by a session. 'memory' keeps sessions in this process (the stateful tier:
 * they die with it, and the load balancer must pin clients); 'redis' keeps them in a shared Redis via
 * connect-redis, so any instance can serve any client (the stateless tier).
 *
 * The session plugin is registered only in this scope: product reads, health checks and static files
 * never touch the session store, so its outage cannot take them down.
 */
import fastifySession from '@fastify/session';
import { RedisStore } from 'connect-redis';
import type { FastifyError, FastifyInstance } from 'fastify';
import type { Endpoint, ShopConfig } from './config.ts';
import { connectRedis, type RedisClient } from './redis-client.ts';
import { withTimeout } from './timeout.ts';

export interface CartItem {
  sku: string;
  qty: number;
}

declare module 'fastify' {
  interface Session {
    user?: string;
    cart?: CartItem[];
  }
}

export const SESSION_COOKIE = 'shop.sid';
const SESSION_MAX_AGE_MS = 24 * 3600 * 1000;

type Client = RedisClient;

/** A Redis client for the session store; call `close` on shutdown. */
export interface SessionRedis {
  client: Client;
  /** Waits (at most `waitMs`) for the first connection, so a fresh instance does not 503 its first logins. */
  ready(waitMs: number): Promise<void>;
  close(): void;
}

export function connectSessionRedis(endpoint: Endpoint, timeoutMs: number): SessionRedis {
  const { client, connected } = connectRedis(endpoint, timeoutMs);
  return {
    client,
    ready: (waitMs) => withTimeout(connected, waitMs, 'session store connect').catch(() => undefined),
    close: () => {
      try {
        client.destroy();
      } catch {
        // already closed
      }
    },
  };
}

/**
 * The commands connect-redis uses, each bounded in time: node-redis only times out commands not yet
 * written, so a frozen Redis would otherwise hang the request.
 */
function timedClient(client: Client, ms: number) {
  const bound = <T>(what: string, work: Promise<T>) => withTimeout(work, ms, `session store ${what}`);
  return {
    get: (key: string) => bound('GET', client.get(key)),
    set: (key: string, value: string, options?: Parameters<Client['set']>[2]) =>
      bound('SET', client.set(key, value, options)),
    expire: (key: string, seconds: number) => bound('EXPIRE', client.expire(key, seconds)),
    del: (keys: string | string[]) => bound('DEL', client.del(keys)),
  };
}

const loginSchema = {
  body: {
    type: 'object',
    required: ['user'],
    properties: { user: { type: 'string', minLength: 1, maxLength: 100 } },
  },
} as const;

const itemSchema = {
  body: {
    type: 'object',
    required: ['sku', 'qty'],
    properties: {
      sku: { type: 'string', minLength: 1, maxLength: 64 },
      qty: { type: 'integer', minimum: 1, maximum: 1000 },
    },
  },
} as const;

export interface SessionDeps {
  config: ShopConfig;
  redis: SessionRedis | undefined;
}

export async function sessionRoutes(app: FastifyInstance, { config, redis }: SessionDeps): Promise<void> {
  const store = redis
    ? (new RedisStore({
        client: timedClient(redis.client, config.dbTimeoutMs),
        prefix: 'shop:sess:',
      }) as never)
    : undefined; // @fastify/session's own in-memory store
  await app.register(fastifySession, {
    secret: config.sessionSecret,
    cookieName: SESSION_COOKIE,
    saveUninitialized: false,
    rolling: false, // reading a cart must not write the session back
    cookie: { path: '/', httpOnly: true, secure: false, sameSite: 'lax', maxAge: SESSION_MAX_AGE_MS },
    ...(store ? { store } : {}),
  });

  // Within this scope, anything but a client error is the session store failing.
  app.setErrorHandler((err: FastifyError, request, reply) => {
    // The error reply must not try to save the session again (into the store that just failed).
    (request as { session: unknown }).session = undefined;
    if (err.statusCode && err.statusCode < 500)
      return reply.code(err.statusCode).send({ error: err.message });
    return reply.code(503).send({ error: `session store unavailable: ${err.message}` });
  });

  app.post<{ Body: { user: string } }>('/login', { schema: loginSchema }, async (request) => {
    request.session.set('user', request.body.user);
    request.session.set('cart', []);
    return { user: request.body.user };
  });

  app.get('/cart', async (request, reply) => {
    const user = request.session.get('user');
    if (!user) return reply.code(401).send({ error: 'no session' });
    return { user, items: request.session.get('cart') ?? [] };
  });

  app.post<{ Body: CartItem }>('/cart/items', { schema: itemSchema }, async (request, reply) => {
    if (!request.session.get('user')) return reply.code(401).send({ error: 'no session' });
    const items = [...(request.session.get('cart') ?? [])];
    const { sku, qty } = request.body;
    const existing = items.findIndex((item) => item.sku === sku);
    if (existing >= 0) items[existing] = { sku, qty: (items[existing]?.qty ?? 0) + qty };
    else items.push({ sku, qty });
    request.session.set('cart', items);
    return { items };
  });
}
