import type { Random } from '../../core/random.ts';
import type { Workload } from './workload.ts';

export interface StaticAssetsOptions {
  assets: string[];
  /** Share of requests made uncacheable by a unique query string (cache-busting), 0..1. */
  uncachedShare: number;
}

/** Static files through the CDN edge; detail.cacheable tells cached-path requests from cache-busting ones. */
export function staticAssets(options: StaticAssetsOptions, random: Random): Workload {
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
        detail: { cacheable },
      });
    },
  };
}
