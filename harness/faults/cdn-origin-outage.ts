/**
 * The CDN loses its origin: the cdn->lb link goes down. Cached assets keep being served (grace);
 * anything not cached fails. Proven by Toxiproxy's state, a refused connect and a 5xx for an asset
 * the CDN cannot have cached; healed when such an asset is served again (Varnish's origin probe
 * needs a second or two to call the origin healthy again).
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { defineFault, type FaultContext } from './fault.ts';
import { linkIsDown, linkUp } from './link-down.ts';
import { HEAL_TIMEOUT_MS } from './service-ready.ts';
import { linkProxy, setEnabled } from './toxics.ts';
import { shared, until } from './wait.ts';

const LINK = 'cdn->lb';
const ID = `cdn-origin-outage:${LINK}`;

/** Status of a request the CDN cannot answer from its cache (a fresh query string), 0 if none. */
async function uncachedStatus(ctx: FaultContext): Promise<number> {
  const url = `${ctx.topology.endpoints.cdn}/static/app.css?canary=${randomUUID()}`;
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(8000) });
    await response.arrayBuffer();
    return response.status;
  } catch {
    return 0;
  }
}

export const cdnOriginOutage = defineFault({
  kind: 'cdn-origin-outage',
  description: 'takes the CDN→origin link down: cached assets survive (grace), uncached ones fail',
  params: z.object({}).strict(),
  targets: () => [{ link: LINK }],
  create: () => {
    let last: number | undefined;
    /** Records what an uncached request got, whenever that changes. */
    const observe = (ctx: FaultContext, status: number): number => {
      if (status !== last)
        ctx.events.record({ kind: 'observation', fault: ID, source: 'cdn.uncached', detail: { status } });
      last = status;
      return status;
    };
    return {
      kind: 'cdn-origin-outage',
      id: ID,
      async inject(ctx) {
        await setEnabled(linkProxy(ctx.topology, LINK), false);
      },
      async verify(ctx) {
        if (!(await linkIsDown(ctx, LINK))) return false;
        return observe(ctx, await uncachedStatus(ctx)) >= 500;
      },
      heal: shared(async (ctx: FaultContext) => {
        await linkUp(ctx, LINK);
        await until(async () => (await uncachedStatus(ctx)) === 200, {
          timeoutMs: HEAL_TIMEOUT_MS,
          intervalMs: 200,
          what: 'the CDN to serve an uncached asset from its origin again',
          code: 'fault.heal',
        });
        observe(ctx, 200);
      }),
    };
  },
});
