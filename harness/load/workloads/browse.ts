import type { Random } from '../../core/random.ts';
import { type ProductPopularity, zipf } from '../zipf.ts';
import type { Workload } from './workload.ts';

/** Product page views through the LB, popular products far more often than the long tail. */
export function browse(options: ProductPopularity, random: Random): Workload {
  const pick = zipf(options.products, options.zipfExponent, random);
  return {
    name: 'browse',
    run: async (op) => {
      await op.send({ name: 'GET /products/:id', target: 'lb', method: 'GET', path: `/products/${pick()}` });
    },
  };
}
