/** One short-lived client on a Redis node the harness reaches directly (not through a link). */
import { type RedisClient, redisSession } from '../runtime/answers.ts';
import { replicationState } from '../runtime/cache-failover-ready.ts';
import type { ServiceHandle } from '../runtime/service.ts';

export function onRedisNode<T>(handle: ServiceHandle, work: (client: RedisClient) => Promise<T>): Promise<T> {
  return redisSession(handle.host, handle.ports.redis as number, 2000, work);
}

/** What INFO replication says of the node: its role, and (a replica) whether it is in sync. */
export function replicationOf(handle: ServiceHandle): Promise<{ role: string; inSync: boolean }> {
  return replicationState(handle.host, handle.ports.redis as number);
}
