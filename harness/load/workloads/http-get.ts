import { z } from 'zod';
import { defineWorkload } from './workload.ts';

/** The same GET every time (the standalone `faultline load <url>`). */
export const httpGet = defineWorkload({
  name: 'http-get',
  description: 'GET `path` through the LB, every time (what `faultline load <url>` runs)',
  options: z.object({ path: z.string().startsWith('/', { message: 'must start with /' }) }).strict(),
  create: (options) => ({
    name: 'http-get',
    run: async (op) => {
      await op.send({ name: `GET ${options.path}`, target: 'lb', method: 'GET', path: options.path });
    },
  }),
});
