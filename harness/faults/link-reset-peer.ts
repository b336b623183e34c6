/** Connections on one link are reset (TCP RST) after `timeout`. */
import { z } from 'zod';
import { durationSchema } from '../core/duration.ts';
import { defineLinkToxicFault } from './link-toxic.ts';
import { streamSchema } from './toxics.ts';

export const linkResetPeer = defineLinkToxicFault({
  kind: 'link-reset-peer',
  description: 'resets connections on a link (connection reset by peer) after `timeout` (0: at once)',
  params: z
    .object({
      link: z.string().min(1),
      timeout: durationSchema.default(0).describe('reset connections after this long; 0 at once (ms)'),
      stream: streamSchema,
    })
    .strict(),
  toxic: ({ timeout, stream }) => ({ type: 'reset_peer', stream, attributes: { timeout } }),
});
