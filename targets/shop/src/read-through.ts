/**
 * Cache-aside product reads with a stampede guard: what one instance does when a hot key is missing
 * or about to expire while many requests want it.
 *
 * - none: every miss reads the database (a hot key's expiry becomes a burst of identical reads).
 * - single-flight: concurrent misses of a key in this instance wait for one read (x-cache: coalesced).
 * - xfetch: a hit may refresh early, with a probability that rises as expiry nears and with how long
 *   the last read took (Vattani et al., "Optimal probabilistic cache stampede prevention", β = 1).
 * - stale-while-revalidate: past its TTL an entry is still served (x-cache: stale) for one more TTL
 *   while one background read per key refreshes it (the request that started it: stale-refresh).
 *
 * The x-cache header says which path a request took; a checker counts the database reads from it.
 */
import type { Cache } from './cache.ts';
import type { StampedeGuard } from './config.ts';
import type { Product, ReadResult } from './db.ts';

/** What the cache holds for a product: the product, when it was read and how long the read took. */
interface Entry extends Product {
  fetchedAt: number;
  costMs: number;
}

export type ReadStatus = 'hit' | 'miss' | 'error' | 'off' | 'coalesced' | 'early' | 'stale' | 'stale-refresh';

export interface ReadThroughResult {
  status: ReadStatus;
  /** The cache node that owns the key. */
  cacheNode?: string;
  product: Product | undefined;
  /** The database's answer, when this request waited for one. */
  db?: ReadResult;
}

export function entryOf(product: Product, costMs: number, now = Date.now()): string {
  return JSON.stringify({ ...product, fetchedAt: now, costMs });
}

function parseEntry(value: string | undefined): Entry | undefined {
  if (value === undefined) return undefined;
  try {
    const e = JSON.parse(value) as Entry;
    return typeof e.id === 'number' && typeof e.version === 'number' && typeof e.fetchedAt === 'number'
      ? e
      : undefined;
  } catch {
    return undefined; // a corrupt entry is a miss; the database read overwrites it
  }
}

const productOf = ({ id, name, price_cents, version }: Entry): Product => ({
  id,
  name,
  price_cents,
  version,
});

export class ReadThrough {
  /** Reads in flight in this instance, per key (single-flight's leaders, SWR's refreshes). */
  private readonly inFlight = new Map<string, Promise<ReadResult>>();
  private readonly ttlMs: number;

  constructor(
    private readonly cache: Cache,
    private readonly guard: StampedeGuard,
    ttlSeconds: number,
    private readonly random: () => number = Math.random,
  ) {
    this.ttlMs = ttlSeconds * 1000;
  }

  /** How long Redis keeps an entry: SWR keeps it one TTL past its freshness, to serve it stale. */
  get storeSeconds(): number {
    return (this.guard === 'stale-while-revalidate' ? 2 : 1) * (this.ttlMs / 1000);
  }

  async read(key: string, load: () => Promise<ReadResult>): Promise<ReadThroughResult> {
    const cached = await this.cache.get(key);
    const cacheNode = cached.node;
    const entry = cached.status === 'hit' ? parseEntry(cached.value) : undefined;
    if (entry) {
      const now = Date.now();
      const expiresAt = entry.fetchedAt + this.ttlMs;
      if (this.guard === 'stale-while-revalidate' && now >= expiresAt) {
        const started = !this.inFlight.has(key);
        if (started) void this.shared(key, load).catch(() => undefined); // the stale copy stays
        return { status: started ? 'stale-refresh' : 'stale', cacheNode, product: productOf(entry) };
      }
      // XFetch: refresh when now − costMs·ln(u) ≥ expiry (−ln(u) is an exponential draw).
      if (this.guard === 'xfetch' && now - entry.costMs * Math.log(this.random()) >= expiresAt) {
        return { status: 'early', cacheNode, ...(await this.fill(key, load)) };
      }
      return { status: 'hit', cacheNode, product: productOf(entry) };
    }
    const status = cached.status === 'hit' ? 'miss' : cached.status;
    // After a cache error the node is down or frozen: read, but do not try to fill it.
    const fills = status === 'miss';
    if (this.guard === 'single-flight' && fills) {
      const leader = this.inFlight.get(key);
      if (leader) {
        const db = await leader;
        return { status: 'coalesced', cacheNode, product: db.product, db };
      }
      const db = await this.shared(key, load);
      return { status, cacheNode, product: db.product, db };
    }
    return { status, cacheNode, ...(fills ? await this.fill(key, load) : await this.loadOnly(load)) };
  }

  /** One read of `key` per instance at a time: the first caller's, which fills the cache. */
  private shared(key: string, load: () => Promise<ReadResult>): Promise<ReadResult> {
    const running = this.inFlight.get(key);
    if (running) return running;
    const read = this.fill(key, load).then((r) => r.db);
    this.inFlight.set(key, read);
    const forget = () => this.inFlight.delete(key);
    read.then(forget, forget);
    return read;
  }

  private async fill(key: string, load: () => Promise<ReadResult>) {
    const started = performance.now();
    const db = await load();
    if (db.product)
      await this.cache.set(key, entryOf(db.product, performance.now() - started), this.storeSeconds);
    return { product: db.product, db };
  }

  private async loadOnly(load: () => Promise<ReadResult>) {
    const db = await load();
    return { product: db.product, db };
  }
}
