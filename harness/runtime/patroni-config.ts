/**
 * Patroni and etcd as the patroni failover manager runs them, the same on every runtime: only
 * addresses and paths differ. Patroni starts and manages PostgreSQL itself (initdb on the first
 * leader, pg_basebackup on the others, pg_rewind when an old leader rejoins), so the node's server
 * settings go in Patroni's configuration, not on a postgres command line.
 */
import type { Composition } from '../components/composition.ts';
import { nodeSetting, POSTGRES_SETTINGS } from './service-settings.ts';

export interface PatroniNodeConfig {
  /** The cluster's name in the DCS (one per topology: a session's own). */
  scope: string;
  name: string;
  /** Where its REST API listens, and where others reach it. */
  rest: { listen: string; connect: string };
  /** Where its PostgreSQL listens, and where the other nodes reach it (its peers->node link). */
  postgres: { listen: string; connect: string };
  /** etcd's client address as this node reaches it: through its node->etcd link. */
  etcd: string;
  dataDir: string;
  binDir: string;
  /** Unix socket directory (Patroni talks to its own server there), or none. */
  socketDir: string;
  /** Who may connect: "127.0.0.1/32" on loopback, "0.0.0.0/0" on a container network. */
  clients: string;
}

/** The server settings every node gets, as Patroni takes them (pg_rewind needs full pages and hints). */
function parameters(name: string): Record<string, string> {
  const settings = [...POSTGRES_SETTINGS, nodeSetting(name), 'full_page_writes=on', 'wal_log_hints=on'];
  return Object.fromEntries(
    settings.map((s) => {
      const at = s.indexOf('=');
      return [s.slice(0, at), s.slice(at + 1)];
    }),
  );
}

/** Patroni's configuration file (JSON, which YAML reads as it is). */
export function patroniConfig(c: Composition, node: PatroniNodeConfig): string {
  const { ttl, loopWait, retryTimeout, maximumLagOnFailover } = c.failover.patroni;
  const hba = [
    'local all all trust',
    `host all all ${node.clients} trust`,
    `host replication all ${node.clients} trust`,
  ];
  return JSON.stringify(
    {
      scope: node.scope,
      name: node.name,
      restapi: { listen: node.rest.listen, connect_address: node.rest.connect },
      // use_proxies: the address is a proxy (the node->etcd link), so Patroni must not discover
      // etcd's own advertised address and go around it: a cut link must cut the node off.
      etcd3: { hosts: [node.etcd], use_proxies: true },
      bootstrap: {
        dcs: {
          ttl,
          loop_wait: loopWait,
          retry_timeout: retryTimeout,
          maximum_lag_on_failover: maximumLagOnFailover,
          // Synchronous replication as Patroni does it: it names the synchronous standby itself and
          // never promotes a replica that may lack an acknowledged commit.
          synchronous_mode: c.replication === 'sync',
          postgresql: { use_pg_rewind: true, use_slots: false },
        },
        initdb: [{ encoding: 'UTF8' }, 'no-sync'],
        pg_hba: hba,
      },
      postgresql: {
        listen: node.postgres.listen,
        connect_address: node.postgres.connect,
        data_dir: node.dataDir,
        bin_dir: node.binDir,
        pgpass: `${node.dataDir}.pgpass`,
        authentication: { superuser: { username: 'postgres' }, replication: { username: 'postgres' } },
        parameters: { ...parameters(node.name), unix_socket_directories: node.socketDir },
        pg_hba: hba,
        // A rewind that fails leaves a node that can only be cloned again: let Patroni do it.
        remove_data_directory_on_rewind_failure: true,
        remove_data_directory_on_diverged_timelines: true,
      },
      tags: {},
    },
    null,
    2,
  );
}

/** etcd as one member: fast heartbeats, so the DCS itself never adds seconds to a failover. */
export function etcdArgs(e: {
  dataDir: string;
  /** Where it listens for clients, and the address they are told. */
  client: string;
  advertise: string;
  /** Where it listens for peers (an IP), and the address it is known by. */
  peerListen: string;
  peer: string;
}): string[] {
  return [
    '--name',
    'etcd',
    '--data-dir',
    e.dataDir,
    '--listen-client-urls',
    `http://${e.client}`,
    '--advertise-client-urls',
    `http://${e.advertise}`,
    '--listen-peer-urls',
    `http://${e.peerListen}`,
    '--initial-advertise-peer-urls',
    `http://${e.peer}`,
    '--initial-cluster',
    `etcd=http://${e.peer}`,
    '--heartbeat-interval',
    '100',
    '--election-timeout',
    '500',
  ];
}
