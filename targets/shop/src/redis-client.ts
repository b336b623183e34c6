/** A node-redis client made for faults: it never queues behind an outage and reconnects by itself. */
import { createClient } from 'redis';

export type RedisClient = ReturnType<typeof createClient>;

export interface BackgroundRedis {
  client: RedisClient;
  /** Settles (never rejects) when the first connection attempt ends. */
  connected: Promise<void>;
}

export function connectRedis(endpoint: { host: string; port: number }, timeoutMs: number): BackgroundRedis {
  const client = createClient({
    socket: {
      host: endpoint.host,
      port: endpoint.port,
      connectTimeout: Math.max(timeoutMs, 1000),
      // Keep retrying in the background, so a node that comes back is used again by itself.
      reconnectStrategy: (retries: number) => Math.min(50 * (retries + 1), 500),
    },
    // While disconnected, fail at once instead of queueing commands behind the outage.
    disableOfflineQueue: true,
  });
  client.on('error', () => undefined); // callers see failures per command and degrade there
  const connected = client.connect().then(
    () => undefined,
    () => undefined,
  );
  return { client, connected };
}
