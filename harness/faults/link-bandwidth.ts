/** A bandwidth cap on one link. */
import { z } from 'zod';
import { defineLinkToxicFault } from './link-toxic.ts';
import { streamSchema } from './toxics.ts';

export const linkBandwidth = defineLinkToxicFault({
  kind: 'link-bandwidth',
  description: 'limits a link to `rate` KB/s (Toxiproxy bandwidth toxic)',
  params: z
    .object({
      link: z.string().min(1),
      rate: z
        .number()
        .int()
        .min(0, { message: 'must be >= 0 (KB/s; 0 stops all data)' })
        .describe('the cap; 0 stops all data (KB/s)'),
      stream: streamSchema,
    })
    .strict(),
  toxic: ({ rate, stream }) => ({ type: 'bandwidth', stream, attributes: { rate } }),
});
