/**
 * Read-your-writes state lives in the client's `shop-rw` cookie, not on the server: any web instance
 * behind the load balancer can honour it without shared state.
 */
import type { Mitigation } from './config.ts';

export const RW_COOKIE = 'shop-rw';
/** Long enough for any mitigation window; after that the client reads like anyone else. */
export const RW_COOKIE_MAX_AGE_SECONDS = 300;

export interface RwState {
  /** When this client's last write committed (ms since the epoch). */
  at: number;
  /** The primary's WAL position after that write (mitigation 'lsn' only). */
  lsn?: string;
}

/** Where a read should go. */
export type ReadRoute =
  | { to: 'replica' }
  | { to: 'primary'; reason: string }
  /** a replica that has replayed up to `lsn`, else the primary */
  | { to: 'replica-at'; lsn: string };

const LSN = /^[0-9A-F]{1,8}\/[0-9A-F]{1,8}$/i;

export function parseRw(raw: string | undefined): RwState | undefined {
  if (!raw) return undefined;
  try {
    const value = JSON.parse(raw) as Partial<RwState>;
    if (typeof value.at !== 'number' || !Number.isFinite(value.at)) return undefined;
    // The LSN goes into SQL as a parameter; still, only accept its real shape.
    const lsn = typeof value.lsn === 'string' && LSN.test(value.lsn) ? value.lsn : undefined;
    return lsn ? { at: value.at, lsn } : { at: value.at };
  } catch {
    return undefined;
  }
}

export function formatRw(state: RwState): string {
  return JSON.stringify(state);
}

export interface RouteOptions {
  mitigation: Mitigation;
  primaryAfterWriteMs: number;
  hasReplicas: boolean;
}

export function readRoute(options: RouteOptions, state: RwState | undefined, now = Date.now()): ReadRoute {
  if (!options.hasReplicas) return { to: 'primary', reason: 'no-replicas' };
  if (!state) return { to: 'replica' };
  const age = now - state.at; // bounded both ways: a forged future `at` must not pin a client forever
  if (options.mitigation === 'primary-after-write' && Math.abs(age) < options.primaryAfterWriteMs) {
    return { to: 'primary', reason: 'primary-after-write' };
  }
  if (options.mitigation === 'lsn' && state.lsn) return { to: 'replica-at', lsn: state.lsn };
  return { to: 'replica' };
}
