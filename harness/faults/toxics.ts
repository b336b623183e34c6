/**
 * The one place faults touch Toxiproxy links: find a link, add toxics, prove from the server's own
 * state (GET /proxies/<link>) that they are there, remove them again and disable/enable a proxy.
 * Toxics a fault adds are named "faultline_<fault kind>_<stream>", so a heal removes exactly its own.
 */
import { connect } from 'node:net';
import type { ToxicType, Proxy as ToxiproxyProxy } from 'toxiproxy-node-client';
import { z } from 'zod';
import { FaultlineError, usageError } from '../core/errors.ts';
import type { StartedTopology } from '../runtime/topology.ts';
import { namesLike, targetProblem } from './targets.ts';
import { until } from './wait.ts';

export type Stream = 'upstream' | 'downstream';
export const streamSchema = z.enum(['downstream', 'upstream', 'both']).default('downstream');

export interface ToxicSpec {
  type: ToxicType;
  /** "both" adds one toxic per direction. */
  stream: Stream | 'both';
  attributes: Record<string, number>;
}

export interface ToxicState {
  name: string;
  type: string;
  stream: Stream;
  toxicity: number;
  attributes: Record<string, unknown>;
}

export interface ProxyState {
  name: string;
  listen: string;
  upstream: string;
  enabled: boolean;
  toxics: ToxicState[];
}

const HEAL_TIMEOUT_MS = 5000;

export function hasLink(topology: StartedTopology, link: string): boolean {
  return topology.linkNames.includes(link);
}

/** The link's proxy; a usage error listing the topology's links when there is no such link. */
export function linkProxy(topology: StartedTopology, link: string): ToxiproxyProxy {
  const problem = targetProblem({ link }, topology);
  if (problem) throw usageError('fault.link', problem, namesLike({ link }, topology));
  return topology.proxy(link);
}

/** The proxy as Toxiproxy reports it now (the client's Proxy object is a stale snapshot). */
export async function proxyState(proxy: ToxiproxyProxy): Promise<ProxyState> {
  return (await proxy.api.get<ProxyState>(proxy.getPath())).data;
}

export function toxicName(base: string, stream: Stream): string {
  return `faultline_${base}_${stream}`;
}

function expand(spec: ToxicSpec): Stream[] {
  return spec.stream === 'both' ? ['downstream', 'upstream'] : [spec.stream];
}

export async function addToxics(proxy: ToxiproxyProxy, base: string, spec: ToxicSpec): Promise<void> {
  const existing = new Set((await proxyState(proxy)).toxics.map((t) => t.name));
  for (const stream of expand(spec)) {
    const name = toxicName(base, stream);
    if (existing.has(name)) {
      throw new FaultlineError(
        'fault.conflict',
        `${proxy.name} already has the toxic ${name}`,
        'two faults of the same kind overlap on one link; give them separate windows',
      );
    }
    await proxy.addToxic({ name, type: spec.type, stream, toxicity: 1, attributes: spec.attributes });
  }
}

/** True when Toxiproxy lists every toxic of `spec` on the proxy, with its attributes. */
export async function hasToxics(proxy: ToxiproxyProxy, base: string, spec: ToxicSpec): Promise<boolean> {
  const { toxics } = await proxyState(proxy);
  return expand(spec).every((stream) => {
    const toxic = toxics.find((t) => t.name === toxicName(base, stream));
    return (
      toxic !== undefined &&
      toxic.type === spec.type &&
      toxic.stream === stream &&
      Object.entries(spec.attributes).every(([key, value]) => toxic.attributes[key] === value)
    );
  });
}

/** Removes this fault's toxics (both directions, if present) and waits until Toxiproxy lists none. */
export async function removeToxics(proxy: ToxiproxyProxy, base: string): Promise<void> {
  const ours = async () =>
    (await proxyState(proxy)).toxics.filter((t) => t.name.startsWith(`faultline_${base}_`));
  await until(
    async () => {
      for (const toxic of await ours()) {
        // A 404 means it is already gone (a concurrent heal): the GET below decides.
        await proxy.api.delete(`${proxy.getPath()}/toxics/${toxic.name}`).catch(() => undefined);
      }
      return (await ours()).length === 0;
    },
    { timeoutMs: HEAL_TIMEOUT_MS, what: `toxics ${base} removed from ${proxy.name}`, code: 'fault.heal' },
  );
}

/** Enables or disables the proxy and waits until Toxiproxy reports it so. */
export async function setEnabled(proxy: ToxiproxyProxy, enabled: boolean): Promise<void> {
  const done = async () => (await proxyState(proxy)).enabled === enabled;
  await until(
    async () => {
      if (!(await done())) await proxy.update({ enabled } as never); // Toxiproxy keeps the fields left out
      return done();
    },
    {
      timeoutMs: HEAL_TIMEOUT_MS,
      what: `${proxy.name} ${enabled ? 'enabled' : 'disabled'}`,
      code: 'fault.heal',
    },
  );
}

/** True when a TCP connect to "host:port" is refused (nothing listens there). */
export function connectRefused(address: string, timeoutMs = 1000): Promise<boolean> {
  const colon = address.lastIndexOf(':');
  const listenHost = address.slice(0, colon).replace(/^\[|\]$/g, '');
  // A proxy listening on every interface is reached on loopback.
  const host = ['', '0.0.0.0', '::'].includes(listenHost) ? '127.0.0.1' : listenHost;
  const port = Number(address.slice(colon + 1));
  return new Promise((resolve) => {
    const socket = connect({ host, port, timeout: timeoutMs });
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', (err: NodeJS.ErrnoException) => resolve(err.code === 'ECONNREFUSED'));
  });
}
