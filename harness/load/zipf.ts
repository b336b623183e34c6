/** Zipf-distributed keys 1..n (a few hot products, a long tail), drawn from a seeded source. */
import { z } from 'zod';
import type { Random } from '../core/random.ts';

/** Which products a workload picks: keys 1..products, Zipf-popular with this exponent. */
export const productPopularity = z
  .object({
    products: z.number().int().min(1).default(1000),
    /** 1 = classic: the top product about twice as popular as the second. */
    zipfExponent: z.number().min(0).default(1),
  })
  .strict();

export function zipf(n: number, exponent: number, random: Random): () => number {
  const cdf = new Float64Array(n);
  let sum = 0;
  for (let k = 1; k <= n; k++) {
    sum += 1 / k ** exponent;
    cdf[k - 1] = sum;
  }
  return () => {
    const u = random() * sum;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((cdf[mid] as number) < u) lo = mid + 1;
      else hi = mid;
    }
    return lo + 1;
  };
}
