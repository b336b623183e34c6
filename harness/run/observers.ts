/**
 * Watches the system while an experiment runs and writes what it sees to the event log: each web
 * server's state in HAProxy (on change), replication lag per replica, and cache hit/miss counters.
 * Checkers read these (time to detect, lag during the fault, cache hit ratio) instead of guessing.
 */
import { createClient } from 'redis';
import type { ServerState } from '../runtime/haproxy-api.ts';
import { query } from '../runtime/local/postgres.ts';
import { primaryNow, type StartedTopology } from '../runtime/topology.ts';
import type { EventLog } from '../samples/event-log.ts';

export interface ObserverOptions {
  haproxyEveryMs: number;
  replicationEveryMs: number;
  cacheEveryMs: number;
}

const DEFAULTS: ObserverOptions = { haproxyEveryMs: 100, replicationEveryMs: 250, cacheEveryMs: 1000 };

/** Runs `probe` every `everyMs` (never overlapping itself) until stopped. */
function every(everyMs: number, probe: () => Promise<void>): () => Promise<void> {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  const tick = () => {
    running = probe()
      .catch(() => undefined) // an unreachable system is what faults do; the next tick tries again
      .finally(() => {
        if (!stopped) timer = setTimeout(tick, everyMs);
      });
  };
  tick();
  return async () => {
    stopped = true;
    clearTimeout(timer);
    await running;
  };
}

/** A probe that records each server's status in an HAProxy whenever it changes. */
function serverChanges(
  source: string,
  states: () => Promise<ServerState[]>,
  events: EventLog,
): () => Promise<void> {
  const last = new Map<string, string>();
  return async () => {
    for (const { server, status } of await states()) {
      if (last.get(server) === status) continue;
      last.set(server, status);
      events.record({ kind: 'observation', source, detail: { server, status } });
    }
  };
}

export function startObservers(
  topology: StartedTopology,
  events: EventLog,
  options: Partial<ObserverOptions> = {},
): () => Promise<void> {
  const o = { ...DEFAULTS, ...options };
  // Each step of a failover as the manager takes it, on the run clock.
  const unsubscribe = topology.failover?.subscribe(({ action, node, detail }) =>
    events.record({ kind: 'observation', source: 'failover', detail: { action, node, ...detail } }),
  );
  const stops = [
    async () => unsubscribe?.(),
    every(
      o.haproxyEveryMs,
      serverChanges('haproxy.server', () => topology.lbServerStates(), events),
    ),
    ...(topology.composition.writeEndpoint
      ? [
          every(
            o.haproxyEveryMs,
            serverChanges('haproxy.pg-write', () => topology.writeEndpointStates(), events),
          ),
        ]
      : []),
    every(o.replicationEveryMs, async () => {
      const primary = topology.service(primaryNow(topology)).ports.postgres as number;
      const rows = await query<{ replica: string; lag_bytes: string | null; replay_lag_ms: number | null }>(
        primary,
        `SELECT application_name AS replica,
                pg_wal_lsn_diff(pg_current_wal_insert_lsn(), replay_lsn)::text AS lag_bytes,
                (extract(epoch FROM replay_lag) * 1000)::float8 AS replay_lag_ms
           FROM pg_stat_replication`,
      );
      for (const row of rows) {
        events.record({
          kind: 'observation',
          source: 'pg.replication',
          detail: {
            replica: row.replica,
            lagBytes: row.lag_bytes === null ? null : Number(row.lag_bytes),
            replayLagMs: row.replay_lag_ms,
          },
        });
      }
    }),
    ...topology.serviceNames
      .filter((name) => name.startsWith('cache-'))
      .map((node) => {
        const port = topology.service(node).ports.redis as number;
        return every(o.cacheEveryMs, async () => {
          const client = createClient({
            socket: { host: '127.0.0.1', port, connectTimeout: 300, reconnectStrategy: false },
          });
          client.on('error', () => undefined);
          try {
            await client.connect();
            const info = await client.info('stats');
            const hits = Number(/keyspace_hits:(\d+)/.exec(info)?.[1] ?? 0);
            const misses = Number(/keyspace_misses:(\d+)/.exec(info)?.[1] ?? 0);
            events.record({ kind: 'observation', source: 'redis.stats', detail: { node, hits, misses } });
          } finally {
            client.destroy();
          }
        });
      }),
  ];
  return async () => {
    await Promise.all(stops.map((stop) => stop()));
  };
}
