/** Server settings for the topology's throwaway data stores, the same on every runtime. */

/**
 * PostgreSQL for a disposable cluster: fast, not durable, replication on. fsync is off, but commits
 * stay synchronous: with synchronous_commit=off the WAL writer would hold each commit for up to
 * 200 ms before replicas see it, and a healthy baseline would already look like replica lag.
 * (Listen addresses and sockets are the runtime's to set.)
 */
export const POSTGRES_SETTINGS: readonly string[] = [
  'fsync=off',
  'full_page_writes=off',
  'shared_buffers=32MB',
  'max_connections=200',
  'wal_level=replica',
  'max_wal_senders=10',
  'wal_keep_size=256MB',
  'hot_standby=on',
  'hot_standby_feedback=on',
  'wal_receiver_status_interval=1s',
  'logging_collector=off',
];

/**
 * The node's own name in a setting of ours, which apps read to say which server committed a write
 * (docs/targets.md): `cluster_name` cannot carry it, since Patroni sets that to its cluster's name.
 */
export function nodeSetting(name: string): string {
  return `faultline.node=${name}`;
}

/**
 * Synchronous replication: a commit is acknowledged once one replica has it too (`ANY 1`), so the
 * replica a failover promotes holds every acknowledged write. Every node gets the same list: after a
 * promotion, the replicas that follow the new primary are its synchronous standbys.
 */
export function replicationSettings(replication: 'async' | 'sync', replicas: readonly string[]): string[] {
  if (replication === 'async') return [];
  const names = replicas.map((r) => `"${r}"`).join(', ');
  return [`synchronous_standby_names=ANY 1 (${names})`, 'synchronous_commit=on'];
}

/** redis-server as a cache or session node: no persistence, bounded memory, LRU eviction. */
export function redisArgs({ bind, port, dir }: { bind: string; port: number; dir: string }): string[] {
  return [
    '--port',
    `${port}`,
    '--bind',
    bind,
    '--save',
    '',
    '--appendonly',
    'no',
    '--protected-mode',
    'no',
    '--daemonize',
    'no',
    '--dir',
    dir,
    '--maxmemory',
    '64mb',
    '--maxmemory-policy',
    'allkeys-lru',
    // A replica (cacheFailover: sentinel) gets the master's data at once, not after the 5 s default.
    '--repl-diskless-sync-delay',
    '0',
  ];
}
