/**
 * Asking the system itself: does a service answer its own protocol (Redis PING, PostgreSQL SELECT 1,
 * any HTTP answer), what state are its processes in (the kernel's /proc), what does HAProxy think of
 * each web server. Faults prove and heal with these, never with "our API call returned".
 */
import { readFileSync } from 'node:fs';
import type pg from 'pg';
import { FaultlineError } from '../core/errors.ts';
import { sqlSession } from '../runtime/answers.ts';
import { type ServerState, serverStates } from '../runtime/haproxy-api.ts';
import { processTree } from '../runtime/local/process-identity.ts';
import type { ServiceHandle } from '../runtime/service.ts';
import type { StartedTopology } from '../runtime/topology.ts';
import { connectRefused } from './toxics.ts';

/** Runs statements on one connection to a PostgreSQL service (superuser, database postgres). */
export function pgSession<T>(
  handle: ServiceHandle,
  work: (client: pg.Client) => Promise<T>,
  timeoutMs = 2000,
): Promise<T> {
  return sqlSession(handle.host, handle.ports.postgres as number, timeoutMs, work);
}

/** Every port of the service refuses connections: nothing listens any more. */
export async function allPortsRefuse(handle: ServiceHandle): Promise<boolean> {
  const results = await Promise.all(
    Object.values(handle.ports).map((port) => connectRefused(`${handle.host}:${port}`)),
  );
  return results.every(Boolean);
}

/** The leader pid, when the runtime runs the service as a local process (the local runtime does). */
export function pidOf(handle: ServiceHandle): number | undefined {
  const pid = (handle as { pid?: unknown }).pid;
  return typeof pid === 'number' ? pid : undefined;
}

/** Kernel state letter of a process (R, S, D, T = stopped, Z...), undefined when it is gone. */
export function processState(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0];
  } catch {
    return undefined;
  }
}

/** States of the service's process tree (leader first), from /proc; undefined when not local. */
export function treeStates(handle: ServiceHandle): string[] | undefined {
  const pid = pidOf(handle);
  if (pid === undefined) return undefined;
  return processTree(pid).flatMap((p) => processState(p) ?? []);
}

/**
 * Whether the runtime reports the service frozen: every process stopped (local runtime, from /proc)
 * or the container paused (docker runtime, from the engine); undefined when the runtime cannot tell.
 */
export async function frozen(handle: ServiceHandle): Promise<boolean | undefined> {
  const states = treeStates(handle);
  if (states !== undefined) return states.length > 0 && states.every((s) => s === 'T');
  const state = (handle as { state?: () => Promise<string> }).state;
  return typeof state === 'function' ? (await state.call(handle)) === 'paused' : undefined;
}

type LbAware = { lbServerStates?: () => Promise<ServerState[]>; lbSocket?: unknown };

/** Each web server's state as HAProxy reports it (its runtime API). */
export function lbStates(topology: StartedTopology): Promise<ServerState[]> {
  const t = topology as StartedTopology & LbAware;
  if (typeof t.lbServerStates === 'function') return t.lbServerStates();
  if (typeof t.lbSocket === 'string' && t.lbSocket) return serverStates(t.lbSocket);
  throw new FaultlineError(
    'fault.lb',
    "this runtime does not expose the load balancer's server states",
    'run the local runtime, or give the topology lbServerStates()',
  );
}

export async function lbStatus(topology: StartedTopology, server: string): Promise<string | undefined> {
  return (await lbStates(topology)).find((s) => s.server === server)?.status;
}
