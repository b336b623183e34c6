/**
 * Every fault kind by name, and `createFault` to make a fault from an experiment's spec
 * ({ kind, ...params }): parameters are validated strictly, with defaults, and every problem is
 * reported at once with its path.
 */
import type { z } from 'zod';
import { usageError } from '../core/errors.ts';
import { parseOrThrow } from '../core/validation.ts';
import { cacheNodeLoss } from './cache-node-loss.ts';
import { cdnOriginOutage } from './cdn-origin-outage.ts';
import type { Fault, FaultKind, FaultTarget } from './fault.ts';
import { lbBackendDeath } from './lb-backend-death.ts';
import { linkBandwidth } from './link-bandwidth.ts';
import { linkDown } from './link-down.ts';
import { linkLatency } from './link-latency.ts';
import { linkResetPeer } from './link-reset-peer.ts';
import { linkTimeout } from './link-timeout.ts';
import { replicaLag } from './replica-lag.ts';
import { serviceKill } from './service-kill.ts';
import { servicePause } from './service-pause.ts';
import { serviceRestart } from './service-restart.ts';
import { sessionLoss } from './session-loss.ts';

export const faultKinds: ReadonlyMap<string, FaultKind> = new Map(
  [
    replicaLag,
    cacheNodeLoss,
    cdnOriginOutage,
    lbBackendDeath,
    sessionLoss,
    linkLatency,
    linkBandwidth,
    linkDown,
    linkTimeout,
    linkResetPeer,
    serviceKill,
    servicePause,
    serviceRestart,
  ].map((k) => [k.kind, k]),
);

export interface FaultSpec {
  kind: string;
  [param: string]: unknown;
}

const HINT = 'fix the listed fault parameters (faultline list shows the fault kinds)';

function kindOf(spec: unknown): FaultKind {
  const kind = (spec as { kind?: unknown } | null)?.kind;
  const known = [...faultKinds.keys()].join(', ');
  if (typeof kind !== 'string') {
    throw usageError('fault.kind', 'a fault needs a "kind"', `fault kinds: ${known}`);
  }
  const found = faultKinds.get(kind);
  if (!found) throw usageError('fault.kind', `unknown fault kind "${kind}"`, `fault kinds: ${known}`);
  return found;
}

/** The validated parameters of a fault spec, defaults applied (throws a usage error otherwise). */
export function faultParams(spec: FaultSpec): unknown {
  const kind = kindOf(spec);
  const { kind: _, ...params } = spec;
  return parseOrThrow(kind.params as z.ZodType, params, `${kind.kind} fault`, 'fault.params', HINT);
}

/** The services and links a fault spec acts on (its parameters validated first). */
export function faultTargets(spec: FaultSpec): FaultTarget[] {
  return kindOf(spec).targets(faultParams(spec));
}

/** Makes the fault an experiment asks for: `{ kind: 'lb-backend-death', server: 'web-2' }`. */
export function createFault(spec: FaultSpec): Fault {
  return kindOf(spec).create(faultParams(spec));
}
