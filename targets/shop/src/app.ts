/**
 * Builds one shop web instance: routes, plugins, and the backends (pools, cache and session clients),
 * which Fastify's onClose releases so `app.close()` leaves nothing running.
 */
import { fileURLToPath } from 'node:url';
import fastifyCookie from '@fastify/cookie';
import fastifyStatic from '@fastify/static';
import Fastify, { type FastifyError, type FastifyInstance } from 'fastify';
import { Cache } from './cache.ts';
import type { ShopConfig } from './config.ts';
import { Database, DbUnavailableError } from './db.ts';
import { ledgerRoutes } from './ledger.ts';
import { productRoutes } from './products.ts';
import { connectSessionRedis, sessionRoutes } from './sessions.ts';

const STATIC_ROOT = fileURLToPath(new URL('../static/', import.meta.url));
/** How long a starting instance waits for its Redis connections before serving anyway. */
const CONNECT_WAIT_MS = 1000;

export async function buildApp(config: ShopConfig): Promise<FastifyInstance> {
  const app = Fastify({ logger: false });
  const db = new Database(config);
  const cache = new Cache(config.caches, {
    timeoutMs: config.cacheTimeoutMs,
    ttlSeconds: config.cacheTtlSeconds,
  });
  const sessionRedis =
    config.sessionStore === 'redis' && config.sessionRedis
      ? connectSessionRedis(config.sessionRedis, config.dbTimeoutMs)
      : undefined;

  app.addHook('onReady', async () => {
    await Promise.all([cache.ready(CONNECT_WAIT_MS), sessionRedis?.ready(CONNECT_WAIT_MS)]);
  });
  app.addHook('onClose', async () => {
    sessionRedis?.close();
    await cache.close();
    await db.close();
  });
  // Set first thing, so 404s, 503s and errors name the instance too.
  app.addHook('onRequest', async (_request, reply) => {
    reply.header('x-served-by', config.name);
  });

  // Clients may send `content-type: application/json` with no body (POST /products/:id): that is
  // "no options", not a 400.
  const parseJson = app.getDefaultJsonParser('error', 'ignore');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = body.toString();
    if (text === '') done(null, undefined);
    else parseJson(request, text, done);
  });

  app.setErrorHandler((err: FastifyError, _request, reply) => {
    if (err instanceof DbUnavailableError) return reply.code(503).send({ error: err.message });
    const status = err.statusCode ?? 500;
    if (status < 500) return reply.code(status).send({ error: err.message });
    process.stderr.write(`shop ${config.name}: ${err.stack ?? err.message}\n`);
    return reply.code(500).send({ error: 'internal error' });
  });

  await app.register(fastifyCookie);
  await app.register(fastifyStatic, {
    // faultline's copy when it names one (a deploy may change a file there), read on each request.
    root: config.staticDir ?? STATIC_ROOT,
    prefix: '/static/',
    index: false,
    // Cache-Control: public, max-age=N plus ETag/Last-Modified, so the CDN edge can cache and revalidate.
    cacheControl: true,
    maxAge: config.staticMaxAgeSeconds * 1000,
    etag: true,
    lastModified: true,
  });

  // Process health only: HAProxy must not eject every instance because the database is down.
  app.get('/healthz', async (_request, reply) => reply.type('text/plain').send('ok'));

  await app.register(productRoutes, { config, db, cache });
  await app.register(ledgerRoutes, { db });
  await app.register(sessionRoutes, { config, redis: sessionRedis });
  return app;
}
