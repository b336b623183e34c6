/** A black hole on one link: data stops, the connection is closed after `timeout` (0: never). */
import { z } from 'zod';
import { durationSchema } from '../core/duration.ts';
import { defineLinkToxicFault } from './link-toxic.ts';
import { streamSchema } from './toxics.ts';

export const linkTimeout = defineLinkToxicFault({
  kind: 'link-timeout',
  description: 'stops all data on a link and closes connections after `timeout` (0: hold them open)',
  params: z
    .object({
      link: z.string().min(1),
      timeout: durationSchema
        .default(0)
        .describe('close connections after this long; 0 holds them open (ms)'),
      stream: streamSchema,
    })
    .strict(),
  toxic: ({ timeout, stream }) => ({ type: 'timeout', stream, attributes: { timeout } }),
});
