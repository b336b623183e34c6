import { productPopularity, zipf } from '../zipf.ts';
import { defineWorkload } from './workload.ts';

/** Product page views through the LB, popular products far more often than the long tail. */
export const browse = defineWorkload({
  name: 'browse',
  description: 'GET /products/:id through the LB, products Zipf-popular (a few hot, a long tail)',
  options: productPopularity,
  create: (options, random) => {
    const pick = zipf(options.products, options.zipfExponent, random);
    return {
      name: 'browse',
      run: async (op) => {
        const id = pick();
        await op.send({
          name: 'GET /products/:id',
          target: 'lb',
          method: 'GET',
          path: `/products/${id}`,
          // Which product a read returned a version of (cache-staleness judges it against changes).
          detail: { productId: id },
        });
      },
    };
  },
});
