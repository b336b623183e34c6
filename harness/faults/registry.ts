/**
 * Every fault kind by name, and `createFault` to make a fault from an experiment's spec
 * ({ kind, ...params }, the kind a name or a user's own definition): parameters are validated
 * strictly, with defaults, and every problem is reported at once with its path.
 */
import type { z } from 'zod';
import type { Composition } from '../components/composition.ts';
import { usageError } from '../core/errors.ts';
import { parseOrThrow } from '../core/validation.ts';
import { assetChange } from './asset-change.ts';
import { cacheFlush } from './cache-flush.ts';
import { cacheMasterKill } from './cache-master-kill.ts';
import { cacheNodeLoss } from './cache-node-loss.ts';
import { cdnOriginOutage } from './cdn-origin-outage.ts';
import { type Fault, type FaultKind, type FaultTarget, isFaultKind } from './fault.ts';
import { lbBackendDeath } from './lb-backend-death.ts';
import { linkBandwidth } from './link-bandwidth.ts';
import { linkDown } from './link-down.ts';
import { linkLatency } from './link-latency.ts';
import { linkResetPeer } from './link-reset-peer.ts';
import { linkTimeout } from './link-timeout.ts';
import { primaryKill } from './primary-kill.ts';
import { primaryPartition } from './primary-partition.ts';
import { replicaLag } from './replica-lag.ts';
import { serviceKill } from './service-kill.ts';
import { servicePause } from './service-pause.ts';
import { serviceRestart } from './service-restart.ts';
import { sessionLoss } from './session-loss.ts';
import { writesBehindCache } from './writes-behind-cache.ts';

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
    primaryKill,
    primaryPartition,
    writesBehindCache,
    cacheFlush,
    assetChange,
    cacheMasterKill,
  ].map((k) => [k.kind, k]),
);

/**
 * A fault as an experiment gives it: a kind, by name or a definition of the user's own
 * (`defineFault`), and its parameters: `{ kind: 'link-latency', link: 'web-1->cache-1' }`.
 */
export interface FaultSpec {
  kind: string | FaultKind;
  [param: string]: unknown;
}

/** A fault spec naming its kind, as a validated experiment (and result.json's copy of it) keeps it. */
export interface NamedFaultSpec extends FaultSpec {
  kind: string;
}

const HINT = 'fix the listed fault parameters (faultline list shows the fault kinds)';
const NAME = /^[a-z][a-z0-9-]*$/;
// A user's kind rides along with its named spec unseen: not a parameter, not in result.json.
const USER_KIND = Symbol('faultline.user-fault-kind');

/** A user's own kind, if it may be used: its name is well formed and no built-in kind's. */
function userKind(kind: FaultKind): FaultKind {
  const builtIn = faultKinds.get(kind.kind);
  if (builtIn === kind) return kind;
  if (builtIn) {
    throw usageError(
      'fault.kind',
      `fault kind "${kind.kind}" is built in`,
      'give your own fault kind (defineFault) a name of its own; faultline list shows the built-in ones',
    );
  }
  if (!NAME.test(kind.kind)) {
    throw usageError(
      'fault.kind',
      `fault kind "${kind.kind}" is not a name`,
      'name a fault kind with lowercase words joined by dashes, e.g. slow-link',
    );
  }
  return kind;
}

function kindOf(spec: unknown): FaultKind {
  const kind = (spec as { [USER_KIND]?: FaultKind } | null)?.[USER_KIND] ?? (spec as FaultSpec | null)?.kind;
  if (isFaultKind(kind)) return userKind(kind);
  const known = [...faultKinds.keys()].join(', ');
  if (typeof kind !== 'string') {
    throw usageError(
      'fault.kind',
      'a fault needs a "kind"',
      `fault kinds: ${known}, or one of your own made with defineFault`,
    );
  }
  const found = faultKinds.get(kind);
  if (!found) throw usageError('fault.kind', `unknown fault kind "${kind}"`, `fault kinds: ${known}`);
  return found;
}

/** The user's own kinds among fault specs (given, or carried by named specs), each once. */
export function ownFaultKinds(specs: readonly unknown[]): FaultKind[] {
  const kinds = specs.map(
    (spec) => (spec as { [USER_KIND]?: FaultKind } | null)?.[USER_KIND] ?? (spec as FaultSpec | null)?.kind,
  );
  const own = kinds.filter((k): k is FaultKind => isFaultKind(k) && faultKinds.get(k.kind) !== k);
  return [...new Set(own)];
}

/** The spec with its kind named (a user's kind carried along unseen), for a validated experiment. */
export function namedFaultSpec(spec: FaultSpec): NamedFaultSpec {
  const { kind } = spec;
  if (typeof kind === 'string') return { ...spec, kind };
  const named = { ...spec, kind: kind.kind };
  Object.defineProperty(named, USER_KIND, { value: kind });
  return named;
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

/** What the composition lacks that the fault needs beyond its targets (its kind's `needs`), or undefined. */
export function faultNeedProblem(spec: FaultSpec, composition: Composition): string | undefined {
  return kindOf(spec).needs?.(faultParams(spec), composition);
}

/**
 * Makes the fault an experiment asks for: `{ kind: 'lb-backend-death', server: 'web-2' }`, or a
 * user's own `{ kind: slowLink, link: 'web-1->cache-1' }`. Its kind and id must be its kind's.
 */
export function createFault(spec: FaultSpec): Fault {
  const kind = kindOf(spec);
  const fault = kind.create(faultParams(spec));
  if (fault.kind !== kind.kind || !fault.id.startsWith(`${kind.kind}:`)) {
    throw usageError(
      'fault.id',
      `fault kind "${kind.kind}" made a fault of kind "${fault.kind}" with id "${fault.id}"`,
      `its create() returns { kind: '${kind.kind}', id: '${kind.kind}:<service or link>', ... }`,
    );
  }
  return fault;
}
