/** One short-lived client on a Redis node the harness reaches directly (not through a link). */
import { createClient } from 'redis';
import { replicationState } from '../runtime/cache-failover-ready.ts';
import type { ServiceHandle } from '../runtime/service.ts';

export type RedisNodeClient = ReturnType<typeof createClient>;

export async function onRedisNode<T>(
  handle: ServiceHandle,
  work: (client: RedisNodeClient) => Promise<T>,
): Promise<T> {
  const client = createClient({
    socket: {
      host: handle.host,
      port: handle.ports.redis as number,
      connectTimeout: 2000,
      reconnectStrategy: false,
    },
  });
  client.on('error', () => undefined); // a dying node must not crash the harness
  try {
    await client.connect();
    return await work(client);
  } finally {
    client.destroy();
  }
}

/** What INFO replication says of the node: its role, and (a replica) whether it is in sync. */
export function replicationOf(handle: ServiceHandle): Promise<{ role: string; inSync: boolean }> {
  return replicationState(handle.host, handle.ports.redis as number);
}
