import { productPopularity, zipf } from '../zipf.ts';
import { defineWorkload } from './workload.ts';

/**
 * A user updates a product, then reads it back through the LB. The read carries the version the
 * write acknowledged (detail.ackedVersion): a read returning less is stale.
 */
export const readAfterWrite = defineWorkload({
  name: 'read-after-write',
  description: 'POST /products/:id, then GET it back carrying the acknowledged version (stale reads)',
  options: productPopularity,
  create: (options, random) => {
    const pick = zipf(options.products, options.zipfExponent, random);
    return {
      name: 'read-after-write',
      run: async (op) => {
        const id = pick();
        const write = await op.send({
          name: 'POST /products/:id',
          target: 'lb',
          method: 'POST',
          path: `/products/${id}`,
        });
        const acked = write.sample.outcome === 'ok' ? write.sample.version : undefined;
        if (acked === undefined) return; // nothing acknowledged, nothing to read back
        await op.send({
          name: 'GET /products/:id after write',
          target: 'lb',
          method: 'GET',
          path: `/products/${id}`,
          detail: { productId: id, ackedVersion: acked, ackedAt: write.sample.doneAt },
        });
      },
    };
  },
});
