/**
 * The product cache: M independent Redis nodes, each key placed by client-side consistent hashing.
 * The ring is keyed by node *name*, never by address: every web instance reaches a node through its
 * own proxy (its own port), and all of them must still agree on which node owns a key.
 *
 * A cache node is an optimisation, never a dependency: every command is bounded by cacheTimeoutMs
 * and failures come back as a status ('error'), so the caller reads the database instead.
 */
import HashRing from 'hashring';
import { Breaker } from './breaker.ts';
import type { NamedEndpoint } from './config.ts';
import { connectRedis, type RedisClient } from './redis-client.ts';
import { withTimeout } from './timeout.ts';

export type CacheStatus = 'hit' | 'miss' | 'error' | 'off';
export type CacheWriteStatus = 'set' | 'del' | 'error' | 'off';

export interface CacheRead {
  status: CacheStatus;
  /** The node that owns the key (absent when there is no cache). */
  node?: string;
  value?: string;
}

type Client = RedisClient;

interface CacheNode {
  name: string;
  client: Client;
  breaker: Breaker;
  connected: Promise<void>;
}

/** The ring every web instance builds from the same node names, so they agree on key placement. */
export function createRing(names: readonly string[]): HashRing {
  return new HashRing([...names]);
}

export function productKey(id: number): string {
  return `product:${id}`;
}

export interface CacheOptions {
  timeoutMs: number;
  ttlSeconds: number;
}

export class Cache {
  private readonly nodes = new Map<string, CacheNode>();
  private readonly ring: HashRing | undefined;

  constructor(
    endpoints: readonly NamedEndpoint[],
    private readonly options: CacheOptions,
  ) {
    for (const endpoint of endpoints) this.nodes.set(endpoint.name, connectNode(endpoint, options.timeoutMs));
    this.ring = endpoints.length ? createRing(endpoints.map((e) => e.name)) : undefined;
  }

  get enabled(): boolean {
    return this.ring !== undefined;
  }

  /** Name of the node that owns `key`. */
  nodeFor(key: string): string | undefined {
    return this.ring?.get(key);
  }

  /** Waits (at most `waitMs`) for the first connections, so a fresh instance starts with warm clients. */
  async ready(waitMs: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.all([...this.nodes.values()].map((n) => n.connected)),
      new Promise((resolve) => {
        timer = setTimeout(resolve, waitMs);
      }),
    ]);
    clearTimeout(timer);
  }

  async get(key: string): Promise<CacheRead> {
    const node = this.owner(key);
    if (!node) return { status: 'off' };
    try {
      const value = await this.run(node, 'GET', () => node.client.get(key));
      return value === null ? { status: 'miss', node: node.name } : { status: 'hit', node: node.name, value };
    } catch {
      return { status: 'error', node: node.name };
    }
  }

  async set(key: string, value: string, ttlSeconds = this.options.ttlSeconds): Promise<CacheWriteStatus> {
    const node = this.owner(key);
    if (!node) return 'off';
    try {
      await this.run(node, 'SET', () =>
        node.client.set(key, value, { expiration: { type: 'EX', value: ttlSeconds } }),
      );
      return 'set';
    } catch {
      return 'error';
    }
  }

  async del(key: string): Promise<CacheWriteStatus> {
    const node = this.owner(key);
    if (!node) return 'off';
    try {
      await this.run(node, 'DEL', () => node.client.del(key));
      return 'del';
    } catch {
      return 'error';
    }
  }

  async close(): Promise<void> {
    for (const node of this.nodes.values()) {
      try {
        // destroy, not quit: a frozen node would never answer QUIT.
        node.client.destroy();
      } catch {
        // already closed
      }
    }
  }

  private owner(key: string): CacheNode | undefined {
    const name = this.ring?.get(key);
    return name === undefined ? undefined : this.nodes.get(name);
  }

  private async run<T>(node: CacheNode, what: string, command: () => Promise<T>): Promise<T> {
    if (!node.breaker.allow()) throw new Error(`${node.name} skipped: recently timed out`);
    try {
      const result = await withTimeout(command(), this.options.timeoutMs, `${node.name} ${what}`);
      node.breaker.success();
      return result;
    } catch (err) {
      node.breaker.failed(err);
      throw err;
    }
  }
}

function connectNode(endpoint: NamedEndpoint, timeoutMs: number): CacheNode {
  const { client, connected } = connectRedis(endpoint, timeoutMs);
  return { name: endpoint.name, client, breaker: new Breaker(), connected };
}
