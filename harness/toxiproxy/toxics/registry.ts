/** Every toxic type the server knows, by its API name. */
import { bandwidth } from './bandwidth.ts';
import { latency } from './latency.ts';
import { limitData } from './limit-data.ts';
import { noop } from './noop.ts';
import { resetPeer } from './reset-peer.ts';
import { slicer } from './slicer.ts';
import { slowClose } from './slow-close.ts';
import { timeout } from './timeout.ts';
import type { ToxicKind } from './toxic.ts';

const kinds = [noop, latency, bandwidth, slowClose, timeout, resetPeer, slicer, limitData];

export const toxicKinds: ReadonlyMap<string, ToxicKind> = new Map(kinds.map((k) => [k.type, k]));
