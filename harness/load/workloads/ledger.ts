import { z } from 'zod';
import { productPopularity, zipf } from '../zipf.ts';
import { defineWorkload } from './workload.ts';

/**
 * Ledger writes with ids the client makes (the ledger contract, docs/targets.md), between product
 * reads. After a primary loss the harness reads the ids back: one acknowledged yet missing is a lost
 * write, which a version number would hide once a new primary reuses it. The reads show whether
 * reading kept working while writes could not.
 */
export const ledger = defineWorkload({
  name: 'ledger',
  description:
    'POST /ledger/<id> with a unique client-made id (acknowledged writes lost), between Zipf-popular GET /products/:id',
  options: productPopularity
    .extend({
      writeRatio: z
        .number()
        .min(0)
        .max(1)
        .default(0.5)
        .describe('share of arrivals that write a ledger id; the rest read a product'),
    })
    .strict(),
  create: (options, random) => {
    // Drawn first, from the seeded source: a run's ids are reproducible, and another seed's differ.
    const prefix = Math.floor(random() * 2 ** 32)
      .toString(16)
      .padStart(8, '0');
    const pick = zipf(options.products, options.zipfExponent, random);
    let written = 0;
    return {
      name: 'ledger',
      run: async (op) => {
        if (random() < options.writeRatio) {
          const id = `${prefix}-${++written}`;
          await op.send({
            name: 'POST /ledger/:id',
            target: 'lb',
            method: 'POST',
            path: `/ledger/${id}`,
            detail: { ledgerId: id },
          });
          return;
        }
        await op.send({
          name: 'GET /products/:id',
          target: 'lb',
          method: 'GET',
          path: `/products/${pick()}`,
        });
      },
    };
  },
});
