/**
 * A deploy changes a static file at the origin: faultline rewrites it in its copy of the app's
 * staticDir (every web instance serves that copy), then tells the CDN edge the way a deploy
 * pipeline would: nothing (the edge serves the old file until its TTL), PURGE of the file's URL,
 * or BAN of every static file. Observed as `asset.change` {asset, path, oldEtag, newEtag} when the
 * new file is in place, and `cdn.invalidate` {method, pattern, status} once the edge answered.
 * Proven when the origin (the load balancer) serves the new ETag. A deploy is not undone: heal
 * has nothing to restore, and the copy goes with the topology.
 */
import { extname } from 'node:path';
import { z } from 'zod';
import { FaultlineError } from '../core/errors.ts';
import { type Invalidation, invalidateCdn } from '../runtime/cdn-invalidate.ts';
import type { StaticFiles } from '../runtime/static-files.ts';
import { defineFault, type FaultContext } from './fault.ts';
import { until } from './wait.ts';

/** A line a deploy adds, in the file's own comment syntax where it has one, so the file stays valid. */
function deployMark(asset: string, serial: number): string {
  const text = `faultline asset-change ${serial}`;
  const ext = extname(asset).toLowerCase();
  if (['.css', '.js', '.mjs'].includes(ext)) return `\n/* ${text} */\n`;
  if (['.svg', '.html', '.htm', '.xml'].includes(ext)) return `\n<!-- ${text} -->\n`;
  return `\n${text}\n`;
}

/** The ETag the origin (the load balancer, not the edge) serves for `path` now. */
async function originEtag(ctx: FaultContext, path: string): Promise<string> {
  const response = await fetch(`${ctx.topology.endpoints.lb}${path}`, { signal: AbortSignal.timeout(2000) });
  await response.arrayBuffer();
  const etag = response.headers.get('etag');
  if (response.status !== 200 || !etag)
    throw new FaultlineError(
      'fault.asset-change',
      `the origin answered GET ${path} with ${response.status}${etag ? '' : ' and no ETag'}`,
      'the app must serve its static files with an ETag (docs/targets.md, STATIC_DIR)',
    );
  return etag;
}

function staticFilesOf(ctx: FaultContext): StaticFiles {
  const files = ctx.topology.staticFiles;
  if (!files)
    throw new FaultlineError(
      'fault.asset-change',
      'this topology’s app has no static files faultline holds',
      'give the app a staticDir',
    );
  return files;
}

export const assetChange = defineFault({
  kind: 'asset-change',
  description:
    'a deploy changes a static file at the origin and tells the CDN edge nothing, PURGEs its URL, or BANs every static file',
  params: z
    .object({
      asset: z
        .string()
        .regex(/^[^/.][^/]*$/, { message: 'must be a file name of the app’s staticDir, like "app.css"' })
        .default('app.css')
        .describe('the file of the app’s staticDir that the deploy changes'),
      invalidate: z
        .enum(['none', 'purge', 'ban'])
        .default('none')
        .describe(
          'what the deploy tells the CDN edge: nothing, PURGE of the file’s URL, or BAN of every static file',
        ),
    })
    .strict(),
  targets: () => [{ service: 'cdn' }],
  needs: (_params, c) =>
    c.app.staticDir
      ? undefined
      : `asset-change needs the app’s static files: the web app (${c.app.label}) has no staticDir (give it one, and serve STATIC_DIR: docs/targets.md)`,
  create: ({ asset, invalidate }) => {
    let serial = 0;
    let newEtag: string | undefined;
    return {
      kind: 'asset-change',
      // What it acts on is the edge's content (the report marks the cdn); the asset is in its params.
      id: 'asset-change:cdn',
      async inject(ctx) {
        const files = staticFilesOf(ctx);
        const prefix = ctx.topology.composition.app.staticPrefix;
        const path = `${prefix}${asset}`;
        const oldEtag = await originEtag(ctx, path);
        const content = Buffer.concat([await files.read(asset), Buffer.from(deployMark(asset, ++serial))]);
        await files.write(asset, content);
        const at = ctx.clock.now();
        const etag = await until(
          async () => {
            const now = await originEtag(ctx, path);
            return now === oldEtag ? undefined : now;
          },
          {
            timeoutMs: 5000,
            intervalMs: 50,
            what: `the origin to serve the new ${path}`,
            code: 'fault.asset-change',
          },
        );
        newEtag = etag;
        ctx.events.record({
          at,
          kind: 'observation',
          source: 'asset.change',
          detail: { asset, path, oldEtag, newEtag: etag },
        });
        if (invalidate !== 'none') {
          const invalidation: Invalidation =
            invalidate === 'purge' ? { method: 'PURGE', path } : { method: 'BAN', pattern: `^${prefix}` };
          const status = await invalidateCdn(ctx.topology, invalidation);
          ctx.events.record({
            kind: 'observation',
            source: 'cdn.invalidate',
            detail: {
              method: invalidation.method,
              pattern: invalidation.method === 'PURGE' ? invalidation.path : invalidation.pattern,
              status,
            },
          });
        }
        return { at };
      },
      async verify(ctx) {
        return (
          newEtag !== undefined &&
          (await originEtag(ctx, `${ctx.topology.composition.app.staticPrefix}${asset}`)) === newEtag
        );
      },
      async heal() {
        // A deploy stays deployed; the changed copy is removed with the topology.
      },
    };
  },
});
