/**
 * PostgreSQL access with a read/write split: writes go to the primary, reads to the replicas in
 * round-robin, steered by the read-your-writes route. Every query is bounded by dbTimeoutMs so a dead
 * or frozen node turns into a quick 503 (or a fallback to the primary), never a hung request.
 */
import pg from 'pg';
import { Breaker } from './breaker.ts';
import type { NamedEndpoint, ShopConfig } from './config.ts';
import type { ReadRoute } from './read-your-writes.ts';
import { withTimeout } from './timeout.ts';

export interface Product {
  id: number;
  name: string;
  price_cents: number;
  version: number;
}

/** The database cannot serve this request; the HTTP layer answers 503. */
export class DbUnavailableError extends Error {
  readonly statusCode = 503;
  constructor(node: string, cause: unknown) {
    super(`${node} unavailable: ${(cause as Error)?.message ?? String(cause)}`, { cause });
    this.name = 'DbUnavailableError';
  }
}

export interface ReadResult {
  product: Product | undefined;
  /** The node that answered (x-read-from). */
  node: string;
  /** Why the primary answered a read meant for a replica (x-db-fallback). */
  fallback?: string;
}

export interface WriteResult {
  product: Product | undefined;
  /** Primary WAL insert position after the commit, when asked for (mitigation 'lsn'). */
  lsn?: string;
}

export interface LedgerEntry {
  /** The server that committed the row: its faultline.node setting (the service name, e.g. pg-primary). */
  node: string;
  /** False when the id was already there (a client retrying a write it may have had acknowledged). */
  created: boolean;
}

interface DbNode {
  name: string;
  pool: pg.Pool;
  breaker: Breaker;
}

const READ: pg.QueryConfig = {
  name: 'shop-product-read',
  text: 'SELECT id, name, price_cents, version FROM products WHERE id = $1',
};
// Has this replica replayed the client's write? Asked in its own statement, before the read: a
// statement's snapshot is taken when it starts, so a single "check and read" statement could see
// the LSN replayed (the function runs later) yet read the row from its older snapshot.
const REPLAYED: pg.QueryConfig = {
  name: 'shop-replica-replayed',
  text: 'SELECT coalesce(pg_last_wal_replay_lsn() >= $1::pg_lsn, false) AS fresh',
};
const WRITE: pg.QueryConfig = {
  name: 'shop-product-write',
  text: `UPDATE products
            SET version = version + 1, price_cents = coalesce($2::int, price_cents), updated_at = now()
          WHERE id = $1
      RETURNING id, name, price_cents, version`,
};
// The node is the committing server's own name, not the one the shop was told: behind a failover
// proxy, DATABASE_URL names the proxy, and the read-back must know which node acknowledged the write.
const LEDGER_INSERT: pg.QueryConfig = {
  name: 'shop-ledger-insert',
  text: `INSERT INTO faultline_ledger (id, node) VALUES ($1, current_setting('faultline.node'))
         ON CONFLICT (id) DO NOTHING
      RETURNING node`,
};
// A statement of its own: ON CONFLICT waits for a concurrent insert of the same id to commit, but
// the insert's snapshot predates that commit, so only a new statement sees the row.
const LEDGER_READ: pg.QueryConfig = {
  name: 'shop-ledger-read',
  text: 'SELECT node FROM faultline_ledger WHERE id = $1',
};
// The insert position, not pg_current_wal_lsn(): with synchronous_commit=off the write position may
// still be short of our commit record, and a replica "caught up" to it would not show the write yet.
const WAL_POSITION = 'SELECT pg_current_wal_insert_lsn()::text AS lsn';

export class Database {
  readonly primary: DbNode;
  readonly replicas: DbNode[];
  private nextReplica = 0;
  private readonly timeoutMs: number;

  constructor(config: ShopConfig) {
    this.timeoutMs = config.dbTimeoutMs;
    const node = (endpoint: NamedEndpoint): DbNode => ({
      name: endpoint.name,
      pool: createPool(config, endpoint),
      breaker: new Breaker(),
    });
    this.primary = node(config.primary);
    this.replicas = config.replicas.map(node);
  }

  async read(id: number, route: ReadRoute): Promise<ReadResult> {
    if (route.to === 'primary') return this.readPrimary(id);
    const replicas = this.rotation();
    if (route.to === 'replica') {
      // The breaker is asked lazily: asking it uses up a recovering replica's one trial call.
      const replica = replicas.find((r) => r.breaker.allow());
      if (!replica) return this.readPrimary(id, 'unavailable');
      try {
        const rows = await this.query<Product>(replica, { ...READ, values: [id] });
        return { product: rows[0], node: replica.name };
      } catch {
        return this.readPrimary(id, `error:${replica.name}`);
      }
    }
    // replica-at: the first replica (in rotation order) that has replayed the client's write.
    let fallback = 'unavailable';
    for (const replica of replicas) {
      if (!replica.breaker.allow()) continue;
      try {
        const [replayed] = await this.query<{ fresh: boolean }>(replica, {
          ...REPLAYED,
          values: [route.lsn],
        });
        if (replayed?.fresh) {
          const rows = await this.query<Product>(replica, { ...READ, values: [id] });
          return { product: rows[0], node: replica.name };
        }
        if (fallback === 'unavailable') fallback = 'lagging';
      } catch {
        fallback = `error:${replica.name}`;
      }
    }
    return this.readPrimary(id, fallback);
  }

  async write(id: number, priceCents: number | undefined, recordLsn: boolean): Promise<WriteResult> {
    try {
      const rows = await this.query<Product>(this.primary, { ...WRITE, values: [id, priceCents ?? null] });
      const product = rows[0];
      if (!product || !recordLsn) return { product };
      const [position] = await this.query<{ lsn: string }>(this.primary, { text: WAL_POSITION });
      return position ? { product, lsn: position.lsn } : { product };
    } catch (err) {
      throw new DbUnavailableError(this.primary.name, err);
    }
  }

  /** Records a ledger id on the primary, once: a duplicate id answers the node that stored it first. */
  async ledgerWrite(id: string): Promise<LedgerEntry> {
    try {
      const [inserted] = await this.query<{ node: string }>(this.primary, { ...LEDGER_INSERT, values: [id] });
      if (inserted) return { node: inserted.node, created: true };
      const [stored] = await this.query<{ node: string }>(this.primary, { ...LEDGER_READ, values: [id] });
      if (!stored) throw new Error(`ledger id ${id} conflicted, yet is not there`);
      return { node: stored.node, created: false };
    } catch (err) {
      throw new DbUnavailableError(this.primary.name, err);
    }
  }

  /** Closes every pool; bounded, since a frozen server never acknowledges the goodbye. */
  async close(): Promise<void> {
    const nodes = [this.primary, ...this.replicas];
    await Promise.all(
      nodes.map((n) => withTimeout(n.pool.end(), this.timeoutMs, `${n.name} close`).catch(() => undefined)),
    );
  }

  private async readPrimary(id: number, fallback?: string): Promise<ReadResult> {
    try {
      const rows = await this.query<Product>(this.primary, { ...READ, values: [id] });
      const result: ReadResult = { product: rows[0], node: this.primary.name };
      if (fallback) result.fallback = fallback;
      return result;
    } catch (err) {
      throw new DbUnavailableError(this.primary.name, err);
    }
  }

  /** All replicas, starting at the round-robin position (which moves on by one per read). */
  private rotation(): DbNode[] {
    const n = this.replicas.length;
    if (n === 0) return [];
    const start = this.nextReplica;
    this.nextReplica = (start + 1) % n;
    return [...this.replicas.slice(start), ...this.replicas.slice(0, start)];
  }

  private async query<R extends pg.QueryResultRow>(node: DbNode, query: pg.QueryConfig): Promise<R[]> {
    try {
      const result = await withTimeout(node.pool.query<R>(query), this.timeoutMs, `${node.name} query`);
      node.breaker.success();
      return result.rows;
    } catch (err) {
      node.breaker.failed(err);
      throw err;
    }
  }
}

function createPool(config: ShopConfig, endpoint: NamedEndpoint): pg.Pool {
  const pool = new pg.Pool({
    host: endpoint.host,
    port: endpoint.port,
    database: config.dbName,
    user: config.dbUser,
    password: config.dbPassword,
    application_name: config.name,
    max: 10,
    idleTimeoutMillis: 30_000,
    // Each bound on its own: waiting for a connection, the server's work, and the client's wait
    // (which also covers a frozen server that never answers).
    connectionTimeoutMillis: config.dbTimeoutMs,
    statement_timeout: config.dbTimeoutMs,
    query_timeout: config.dbTimeoutMs,
    keepAlive: true,
  });
  // An idle connection whose server died emits here; the next query simply opens a new one.
  pool.on('error', () => undefined);
  return pool;
}
