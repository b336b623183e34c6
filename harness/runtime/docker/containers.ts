/** What the containers of every session share: the ports inside them, and how readiness by HTTP is polled. */
import { Wait, type WaitStrategy } from 'testcontainers';

/** The ports services listen on inside their containers (the same in every session). */
export const PORT = {
  postgres: 5432,
  redis: 6379,
  sentinel: 26379,
  web: 3000,
  http: 8080,
  stats: 9999,
  toxiproxy: 8474,
  /** Patroni's REST API. */
  rest: 8008,
  /** etcd's client and peer ports. */
  etcd: 2379,
  etcdPeer: 2380,
};

/**
 * Ready once GET <path> answers with a status `ok` accepts. testcontainers polls an HTTP wait once per
 * read timeout (1 s by default): each service would be ready up to a second late. A request slower
 * than this timeout is simply tried again. The wait gives up as soon as the container exits, rather
 * than after the start timeout.
 */
export function httpReady(
  path: string,
  port: number,
  ok: (status: number) => boolean = (s) => s >= 200 && s < 300,
): WaitStrategy {
  return Wait.forHttp(path, port, { abortOnContainerExit: true })
    .withReadTimeout(250)
    .forStatusCodeMatching(ok);
}

/** The port a service listens on inside its container. */
export function internalPort(service: string): number {
  if (service === 'lb') return PORT.http;
  if (service.startsWith('pg-')) return PORT.postgres;
  if (service.startsWith('web-')) return PORT.web;
  if (service === 'etcd') return PORT.etcd;
  return PORT.redis; // cache-N and sessions
}

/**
 * No wait of testcontainers' own, for a starter that waits for readiness itself (the LB, by its
 * servers' checks). The default checks each port by exec inside the container, ~0.5 s of engine time.
 */
export function starterWaits(): WaitStrategy {
  let timeoutMs = 60_000;
  let set = false;
  return {
    waitUntilReady: async () => {},
    withStartupTimeout(ms) {
      timeoutMs = ms;
      set = true;
      return this;
    },
    isStartupTimeoutSet: () => set,
    getStartupTimeout: () => timeoutMs,
  };
}
