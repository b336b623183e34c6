/**
 * GET/POST /products/:id: cache-aside reads with the read/write split behind them, and versioned
 * writes. The headers are the checkers' evidence: x-version, x-cache (read-through.ts), x-cache-node,
 * x-read-from, x-db-fallback.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { type Cache, productKey } from './cache.ts';
import type { ShopConfig } from './config.ts';
import type { Database, Product } from './db.ts';
import { entryOf, ReadThrough } from './read-through.ts';
import { formatRw, parseRw, RW_COOKIE, RW_COOKIE_MAX_AGE_SECONDS, readRoute } from './read-your-writes.ts';

export interface ProductDeps {
  config: ShopConfig;
  db: Database;
  cache: Cache;
}

const INT4_MAX = 2_147_483_647;

type ParsedId = { ok: true; id: number } | { ok: false; status: 400 | 404; error: string };

/** Integers only; integers outside PostgreSQL's int range cannot exist, so they are 404, not 400. */
export function parseId(raw: string): ParsedId {
  if (!/^-?\d{1,20}$/.test(raw)) return { ok: false, status: 400, error: 'id must be an integer' };
  const id = Number(raw);
  if (id < 1 || id > INT4_MAX) return { ok: false, status: 404, error: 'product not found' };
  return { ok: true, id };
}

function parsePrice(body: unknown): { ok: true; price?: number } | { ok: false; error: string } {
  if (body === undefined || body === null) return { ok: true };
  if (typeof body !== 'object' || Array.isArray(body))
    return { ok: false, error: 'body must be a JSON object' };
  const price = (body as { price_cents?: unknown }).price_cents;
  if (price === undefined) return { ok: true };
  if (typeof price !== 'number' || !Number.isInteger(price) || price < 0 || price > INT4_MAX) {
    return { ok: false, error: `price_cents must be an integer from 0 to ${INT4_MAX}` };
  }
  return { ok: true, price };
}

function sendProduct(reply: FastifyReply, product: Product): FastifyReply {
  reply.header('x-version', product.version);
  return reply.send({
    id: product.id,
    name: product.name,
    price_cents: product.price_cents,
    version: product.version,
  });
}

export async function productRoutes(app: FastifyInstance, { config, db, cache }: ProductDeps): Promise<void> {
  const routeOptions = {
    mitigation: config.mitigation,
    primaryAfterWriteMs: config.primaryAfterWriteMs,
    hasReplicas: config.replicas.length > 0,
  };
  const reads = new ReadThrough(cache, config.stampedeGuard, config.cacheTtlSeconds);

  app.get<{ Params: { id: string } }>('/products/:id', async (request, reply) => {
    const parsed = parseId(request.params.id);
    if (!parsed.ok) return reply.code(parsed.status).send({ error: parsed.error });
    const key = productKey(parsed.id);

    const route = readRoute(routeOptions, parseRw(request.cookies[RW_COOKIE]));
    const read = await reads.read(key, () => db.read(parsed.id, route));
    if (read.cacheNode) reply.header('x-cache-node', read.cacheNode);
    reply.header('x-cache', read.status);
    if (read.db) {
      reply.header('x-read-from', read.db.node);
      if (read.db.fallback) reply.header('x-db-fallback', read.db.fallback);
    }
    if (!read.product) return reply.code(404).send({ error: 'product not found' });
    return sendProduct(reply, read.product);
  });

  app.post<{ Params: { id: string } }>('/products/:id', async (request, reply) => {
    const parsed = parseId(request.params.id);
    if (!parsed.ok) return reply.code(parsed.status).send({ error: parsed.error });
    const price = parsePrice(request.body);
    if (!price.ok) return reply.code(400).send({ error: price.error });

    const result = await db.write(parsed.id, price.price, config.mitigation === 'lsn');
    reply.header('x-read-from', db.primary.name);
    const product = result.product;
    if (!product) return reply.code(404).send({ error: 'product not found' });

    const key = productKey(parsed.id);
    const written =
      config.mitigation === 'write-through-cache'
        ? await cache.set(key, entryOf(product, 0), reads.storeSeconds)
        : await cache.del(key);
    reply.header('x-cache-write', written);
    reply.setCookie(
      RW_COOKIE,
      formatRw(result.lsn ? { at: Date.now(), lsn: result.lsn } : { at: Date.now() }),
      {
        path: '/',
        httpOnly: true,
        sameSite: 'lax',
        maxAge: RW_COOKIE_MAX_AGE_SECONDS,
      },
    );
    reply.header('x-version', product.version);
    return reply.send({ id: product.id, version: product.version });
  });
}
