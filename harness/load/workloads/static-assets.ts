import { z } from 'zod';
import { defineWorkload } from './workload.ts';

/**
 * Static files through the CDN edge; detail.cacheable tells cached-path requests from cache-busting
 * ones, detail.asset which file it was (with the sample's ETag, which version of it was served).
 */
export const staticAssets = defineWorkload({
  name: 'static-assets',
  description: 'GET /static/<asset> through the CDN edge, a share of them cache-busting (?v=n)',
  options: z
    .object({
      assets: z.array(z.string().min(1)).min(1).default(['app.css', 'app.js', 'logo.svg']),
      /** Share of requests made uncacheable by a unique query string (cache-busting), 0..1. */
      uncachedShare: z.number().min(0).max(1).default(0.1),
    })
    .strict(),
  create: (options, random) => {
    let serial = 0;
    return {
      name: 'static-assets',
      run: async (op) => {
        const asset = options.assets[Math.floor(random() * options.assets.length)] as string;
        const cacheable = random() >= options.uncachedShare;
        const path = cacheable ? `/static/${asset}` : `/static/${asset}?v=${++serial}`;
        await op.send({
          name: `GET /static/* (${cacheable ? 'cacheable' : 'uncached'})`,
          target: 'cdn',
          method: 'GET',
          path,
          detail: { cacheable, asset },
        });
      },
    };
  },
});
