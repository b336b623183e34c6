/**
 * When a cache that fails over is ready, on either runtime: a replica once its first sync is done
 * (before, it holds nothing to promote), a Sentinel once it knows every master's replica and the
 * other Sentinels (without them it could neither see a replica to promote nor be elected to
 * promote it), and a node's endpoint once it routes to the master alone.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { redisSession } from './answers.ts';
import { type HaproxyApi, serverStates } from './haproxy-api.ts';

/** What INFO replication says of a Redis server: its role, and (a replica) whether it is in sync with its master. */
export async function replicationState(
  host: string,
  port: number,
): Promise<{ role: string; inSync: boolean }> {
  const info = await redisSession(host, port, 2000, (c) => c.info('replication'));
  return {
    role: /^role:(\w+)/m.exec(info)?.[1] ?? 'unknown',
    inSync: /^master_link_status:up/m.test(info) && !/^master_sync_in_progress:1/m.test(info),
  };
}

/** Resolves once the server is a master, or a replica in sync. */
export async function replicationSettled(host: string, port: number, signal: AbortSignal): Promise<void> {
  while (!signal.aborted) {
    const state = await replicationState(host, port).catch(() => undefined);
    if (state && (state.role === 'master' || state.inSync)) return;
    await sleep(50, undefined, { signal }).catch(() => undefined);
  }
}

async function sentinelKnows(host: string, port: number, masters: readonly string[], others: number) {
  return redisSession(host, port, 1000, async (client) => {
    for (const master of masters) {
      const replicas = (await client.sendCommand(['SENTINEL', 'REPLICAS', master])) as unknown[];
      const sentinels = (await client.sendCommand(['SENTINEL', 'SENTINELS', master])) as unknown[];
      if (replicas.length < 1 || sentinels.length < others) return false;
    }
    return true;
  }).catch(() => false);
}

export async function sentinelArmed(
  host: string,
  port: number,
  masters: readonly string[],
  others: number,
  signal: AbortSignal,
): Promise<void> {
  while (!signal.aborted) {
    if (await sentinelKnows(host, port, masters, others)) return;
    await sleep(200, undefined, { signal }).catch(() => undefined);
  }
}

/** Resolves once `master` is UP in the endpoint and every other server is not (it is a replica). */
export async function routesToMasterAlone(
  api: HaproxyApi,
  master: string,
  signal: AbortSignal,
): Promise<void> {
  while (!signal.aborted) {
    const states = await serverStates(api).catch(() => []);
    const up = states.filter((s) => s.status === 'UP').map((s) => s.server);
    if (up.length === 1 && up[0] === master) return;
    await sleep(50, undefined, { signal }).catch(() => undefined);
  }
}
