/**
 * What every "one toxic on one link" fault shares (link-latency, link-bandwidth, link-timeout,
 * link-reset-peer, replica-lag's per-replica toxics): inject adds the toxic, verify reads it back from
 * Toxiproxy, heal removes it and waits until Toxiproxy lists it no more.
 */
import type { z } from 'zod';
import { defineFault, type Fault, type FaultContext, type FaultKind } from './fault.ts';
import { addToxics, hasLink, hasToxics, linkProxy, removeToxics, type ToxicSpec } from './toxics.ts';

export interface LinkToxicKind<S extends z.ZodType<{ link: string }>> {
  kind: string;
  description: string;
  params: S;
  toxic(params: z.output<S>): ToxicSpec;
}

export function linkToxicFault(kind: string, link: string, toxic: ToxicSpec): Fault {
  return {
    kind,
    id: `${kind}:${link}`,
    async inject({ topology }: FaultContext) {
      await addToxics(linkProxy(topology, link), kind, toxic);
    },
    async verify({ topology }: FaultContext) {
      return hasToxics(linkProxy(topology, link), kind, toxic);
    },
    async heal({ topology }: FaultContext) {
      if (!hasLink(topology, link)) return; // inject failed on the unknown link: nothing to undo
      await removeToxics(topology.proxy(link), kind);
    },
  };
}

export function defineLinkToxicFault<S extends z.ZodType<{ link: string }>>(
  spec: LinkToxicKind<S>,
): FaultKind {
  return defineFault({
    kind: spec.kind,
    description: spec.description,
    params: spec.params,
    targets: ({ link }) => [{ param: 'link', link }],
    create: (params) => linkToxicFault(spec.kind, params.link, spec.toxic(params)),
  });
}
