/**
 * The shop target: the seed architecture with the shop (targets/shop/src, Fastify on Node) as its web
 * tier. Its topology options are the architecture's plus the shop's own: the read-your-writes
 * mitigation, how long its Redis cache keeps a product and how it guards against stampedes, and how long browsers and the CDN keep its
 * static files.
 */
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import {
  type ArchitectureOptions,
  architectureSchema,
  cacheTtlSchema,
  cdnSchema,
  composeArchitecture,
  defineTarget,
  dockerImages,
  type WebApp,
} from '../../harness/index.ts';
import { bundleShop } from './bundle.ts';
import { mitigations, stampedeGuards } from './src/config.ts';
import { seedSql } from './src/seed.ts';

/** Where the checkout is mounted in the shop's containers (read-only). */
const APP_DIR = '/opt/faultline';
const CHECKOUT = fileURLToPath(new URL('../../', import.meta.url));

const shopOptions = architectureSchema
  .extend({
    mitigation: z.enum(mitigations).default('none').describe('how a read sees the user’s own write'),
    cacheTtl: cacheTtlSchema,
    stampedeGuard: z
      .enum(stampedeGuards)
      .default('none')
      .describe('what an instance does when many requests want a missing or expiring cache key'),
    cdn: cdnSchema
      .extend({
        staticMaxAgeSeconds: z
          .number()
          .int()
          .min(0)
          .default(5)
          .describe('Cache-Control max-age of the shop’s static files (s)'),
      })
      .strict()
      .prefault({}),
  })
  .strict();

type ShopOptions = z.output<typeof shopOptions>;

function shopApp(options: ShopOptions): WebApp {
  const env = {
    FAULTLINE_SHOP_OPTIONS: JSON.stringify({
      mitigation: options.mitigation,
      cacheTtlSeconds: options.cacheTtl,
      stampedeGuard: options.stampedeGuard,
      staticMaxAgeSeconds: options.cdn.staticMaxAgeSeconds,
    }),
  };
  return {
    label: 'the shop (targets/shop)',
    // Both runtimes run the shop as one plain-JavaScript bundle (bundle.ts says why), from the checkout.
    local: async () => ({ command: [process.execPath, await bundleShop()], cwd: CHECKOUT, env }),
    docker: async () => ({
      image: dockerImages().node,
      command: ['node', await bundleShop()],
      env,
      mounts: [{ source: CHECKOUT, target: APP_DIR }],
      workingDir: APP_DIR,
    }),
    healthPath: '/healthz',
    staticPrefix: '/static/',
    staticDir: `${CHECKOUT}targets/shop/static`,
    startTimeoutMs: 30_000,
    schema: { source: 'targets/shop/schema.sql', sql: seedSql(1000) },
  };
}

export default defineTarget({
  name: 'shop',
  description:
    'the shop faultline ships: products (cache-aside over replicas), carts in sessions, static files',
  options: shopOptions,
  compose: (options) =>
    composeArchitecture('shop', options as ArchitectureOptions & ShopOptions, shopApp(options)),
});
