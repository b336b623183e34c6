/** Latency (± jitter) on one link, in one or both directions. */
import { z } from 'zod';
import { durationSchema } from '../core/duration.ts';
import { defineLinkToxicFault } from './link-toxic.ts';
import { streamSchema } from './toxics.ts';

export const linkLatency = defineLinkToxicFault({
  kind: 'link-latency',
  description: 'delays every chunk on a link by latency ± jitter (Toxiproxy latency toxic)',
  params: z
    .object({
      link: z.string().min(1),
      latency: durationSchema.default(1000).describe('delay added to the data (ms)'),
      jitter: durationSchema.default(0).describe('up to this much more or less delay, at random (ms)'),
      stream: streamSchema,
    })
    .strict(),
  toxic: ({ latency, jitter, stream }) => ({ type: 'latency', stream, attributes: { latency, jitter } }),
});
