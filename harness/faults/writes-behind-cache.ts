/**
 * Data changes behind the cache: while the fault lasts, another writer (an admin job, another
 * service) changes the hottest products one after the other, every `interval` ms, cycling through
 * product ids 1..`products`. With `via: 'database'` it updates the primary directly (`UPDATE
 * products SET version = version + 1`, the shop's schema), so nothing tells the cache; with
 * `via: 'app'` it goes through the app's own write path (`POST /products/:id` through the LB), so
 * the app's cache policy (invalidate or update on write) applies. Each committed change is an
 * observation (source "data.change", detail { productId, version, via }) at the moment it was
 * acknowledged: what cache-staleness judges reads against. Proven once a change was committed;
 * heal stops the writer. Bounded in count (MAX_CHANGES) as well as by the fault's length.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { CHANGE_SOURCE } from '../checkers/cache-staleness.ts';
import { durationSchema } from '../core/duration.ts';
import { primaryNow } from '../runtime/topology.ts';
import { defineFault, type FaultContext } from './fault.ts';
import { pgSession } from './probes.ts';

const KIND = 'writes-behind-cache';
const MAX_CHANGES = 100_000;
const CHANGE =
  'UPDATE products SET version = version + 1, updated_at = now() WHERE id = $1 RETURNING version';

type Via = 'database' | 'app';

/** One change of `id`; its new version, or undefined when the writer could not make it. */
async function change(ctx: FaultContext, id: number, via: Via): Promise<number | undefined> {
  if (via === 'database') {
    const rows = await pgSession(ctx.topology.service(primaryNow(ctx.topology)), async (c) => {
      return (await c.query<{ version: number }>(CHANGE, [id])).rows;
    });
    if (!rows[0]) throw new Error(`${KIND}: no product ${id} in the products table (the shop's schema)`);
    return rows[0].version;
  }
  const response = await fetch(`${ctx.topology.endpoints.lb}/products/${id}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{}',
    signal: AbortSignal.timeout(5000),
  });
  await response.body?.cancel();
  const version = Number(response.headers.get('x-version'));
  return response.ok && Number.isFinite(version) ? version : undefined;
}

export const writesBehindCache = defineFault({
  kind: KIND,
  description:
    'another writer changes the hottest products while it lasts, on the primary directly or through the app; heal stops it',
  params: z
    .object({
      products: z.number().int().min(1).max(1000).default(5).describe('changes products 1..products'),
      interval: durationSchema.default(200).describe('one change every interval (ms)'),
      via: z
        .enum(['database', 'app'])
        .default('database')
        .describe(
          'database: nothing tells the cache; app: POST /products/:id, the app’s cache policy applies',
        ),
    })
    .strict(),
  // It acts on the primary (or the app through the LB), whichever node is the primary.
  targets: () => [],
  create: ({ products, interval, via }) => {
    const stop = new AbortController();
    let writer: Promise<void> | undefined;
    let changes = 0;
    const run = async (ctx: FaultContext) => {
      for (let i = 0; i < MAX_CHANGES && !stop.signal.aborted; i++) {
        const productId = (i % products) + 1;
        const version = await change(ctx, productId, via).catch((err: Error) => {
          ctx.log.warn(`${KIND}: product ${productId} not changed: ${err.message}`);
          return undefined;
        });
        if (version !== undefined) {
          changes++;
          ctx.events.record({
            kind: 'observation',
            source: CHANGE_SOURCE,
            detail: { productId, version, via },
          });
        }
        await sleep(interval, undefined, { signal: stop.signal }).catch(() => undefined);
      }
    };
    return {
      kind: KIND,
      id: `${KIND}:${via}`,
      async inject(ctx) {
        writer ??= run(ctx);
      },
      // In effect while the writer runs and once it committed a change.
      verify: async () => changes > 0 && !stop.signal.aborted,
      async heal() {
        stop.abort();
        await writer;
      },
    };
  },
});
