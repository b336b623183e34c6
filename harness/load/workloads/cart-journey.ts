import { z } from 'zod';
import { defineWorkload } from './workload.ts';

const JSON_HEADERS = { 'content-type': 'application/json' };

/**
 * A shopper's session: log in once, then add items and look at the cart. A 401 on the cart means
 * the server lost the session (a checker counts those); the shopper logs in again next time.
 */
export const cartJourney = defineWorkload({
  name: 'cart-journey',
  description: 'a shopper logs in once, then adds items and views the cart; a 401 means a lost session',
  options: z
    .object({
      sessionCookie: z
        .string()
        .min(1)
        .default('shop.sid')
        .describe('the cookie the app’s POST /login sets; without it the shopper logs in again'),
    })
    .strict(),
  create: (options, random) => ({
    name: 'cart-journey',
    run: async (op) => {
      if (!op.jar.has(options.sessionCookie)) {
        await op.send({
          name: 'POST /login',
          target: 'lb',
          method: 'POST',
          path: '/login',
          headers: JSON_HEADERS,
          body: JSON.stringify({ user: op.jar.userId }),
        });
        return;
      }
      const adding = random() < 0.5;
      const reply = adding
        ? await op.send({
            name: 'POST /cart/items',
            target: 'lb',
            method: 'POST',
            path: '/cart/items',
            headers: JSON_HEADERS,
            body: JSON.stringify({ sku: `sku-${Math.floor(random() * 100)}`, qty: 1 }),
          })
        : await op.send({ name: 'GET /cart', target: 'lb', method: 'GET', path: '/cart' });
      if (reply.sample.status === 401) op.jar.clear(); // forced re-login on the next step
    },
  }),
});
