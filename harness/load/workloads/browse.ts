import type { Random } from '../../core/random.ts';
import { zipf } from '../zipf.ts';
import type { Workload } from './workload.ts';

export interface BrowseOptions {
  products: number;
  /** Zipf exponent of product popularity (1 = classic: the top product ~ twice the second). */
  zipfExponent: number;
}

/** Product page views through the LB, popular products far more often than the long tail. */
export function browse(options: BrowseOptions, random: Random): Workload {
  const pick = zipf(options.products, options.zipfExponent, random);
  return {
    name: 'browse',
    run: async (op) => {
      await op.send({ name: 'GET /products/:id', target: 'lb', method: 'GET', path: `/products/${pick()}` });
    },
  };
}
