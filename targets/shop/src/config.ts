/**
 * One web instance's configuration, read from faultline's environment contract (contract.ts). The validator is
 * hand-written (the app has no schema library) and collects every problem before failing, so a bad
 * topology is fixed in one round instead of one field at a time.
 */

export const mitigations = ['none', 'primary-after-write', 'lsn', 'write-through-cache'] as const;
export type Mitigation = (typeof mitigations)[number];
/** What an instance does when many requests want a missing or expiring key (read-through.ts). */
export const stampedeGuards = ['none', 'single-flight', 'xfetch', 'stale-while-revalidate'] as const;
export type StampedeGuard = (typeof stampedeGuards)[number];

export const sessionStores = ['memory', 'redis'] as const;
export type SessionStoreKind = (typeof sessionStores)[number];

export interface Endpoint {
  host: string;
  port: number;
}
export interface NamedEndpoint extends Endpoint {
  /** The service name (pg-replica-1, cache-2): shown in headers and, for caches, the hash-ring key. */
  name: string;
}

export interface ShopConfig {
  name: string;
  port: number;
  host: string;
  primary: NamedEndpoint;
  replicas: NamedEndpoint[];
  caches: NamedEndpoint[];
  sessionStore: SessionStoreKind;
  sessionRedis: Endpoint | undefined;
  sessionSecret: string;
  mitigation: Mitigation;
  primaryAfterWriteMs: number;
  cacheTtlSeconds: number;
  stampedeGuard: StampedeGuard;
  cacheTimeoutMs: number;
  dbTimeoutMs: number;
  staticMaxAgeSeconds: number;
  /** Where the static files are served from: faultline's copy (STATIC_DIR), else the shop's own. */
  staticDir: string | undefined;
  dbName: string;
  dbUser: string;
  dbPassword: string | undefined;
}

/** The config as written: everything with a default may be left out. */
export type ShopConfigInput = Partial<Omit<ShopConfig, 'primary'>> & {
  name: string;
  port: number;
  primary: Endpoint & { name?: string };
};

export class ShopConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid shop config: ${problems.join('; ')}`);
    this.name = 'ShopConfigError';
  }
}

// A throwaway test target: the secret only has to be long enough for @fastify/session.
const DEFAULT_SECRET = 'faultline-shop-session-secret-not-for-production';

const KNOWN = new Set([
  'name',
  'port',
  'host',
  'primary',
  'replicas',
  'caches',
  'sessionStore',
  'sessionRedis',
  'sessionSecret',
  'mitigation',
  'primaryAfterWriteMs',
  'cacheTtlSeconds',
  'stampedeGuard',
  'cacheTimeoutMs',
  'dbTimeoutMs',
  'staticMaxAgeSeconds',
  'staticDir',
  'dbName',
  'dbUser',
  'dbPassword',
]);

type Obj = Record<string, unknown>;
const isObject = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const show = (v: unknown) => (v === undefined ? 'nothing' : JSON.stringify(v));

/** Collects problems while reading fields, so one pass reports all of them. */
class Reader {
  readonly problems: string[] = [];

  problem(path: string, message: string): void {
    this.problems.push(`${path}: ${message}`);
  }

  string(obj: Obj, key: string, path: string, fallback?: string): string {
    const value = obj[key];
    if (value === undefined && fallback !== undefined) return fallback;
    if (typeof value !== 'string' || value.trim() === '') {
      this.problem(path, `must be a non-empty string, got ${show(value)}`);
      return fallback ?? '';
    }
    return value;
  }

  int(obj: Obj, key: string, path: string, min: number, max: number, fallback?: number): number {
    const value = obj[key];
    if (value === undefined && fallback !== undefined) return fallback;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      this.problem(path, `must be an integer from ${min} to ${max}, got ${show(value)}`);
      return fallback ?? 0;
    }
    return value;
  }

  oneOf<T extends string>(obj: Obj, key: string, path: string, options: readonly T[], fallback: T): T {
    const value = obj[key];
    if (value === undefined) return fallback;
    if (typeof value !== 'string' || !options.includes(value as T)) {
      this.problem(path, `must be one of ${options.map((o) => `'${o}'`).join(', ')}, got ${show(value)}`);
      return fallback;
    }
    return value as T;
  }

  unknownKeys(obj: Obj, known: Set<string>, path: string): void {
    for (const key of Object.keys(obj)) {
      if (!known.has(key)) this.problem(path ? `${path}.${key}` : key, 'unknown field');
    }
  }

  endpoint(value: unknown, path: string, defaultName?: string): NamedEndpoint {
    if (!isObject(value)) {
      this.problem(path, `must be an object {name, host, port}, got ${show(value)}`);
      return { name: defaultName ?? '', host: '', port: 0 };
    }
    this.unknownKeys(value, new Set(['name', 'host', 'port']), path);
    return {
      name: this.string(value, 'name', `${path}.name`, defaultName),
      host: this.string(value, 'host', `${path}.host`, '127.0.0.1'),
      port: this.int(value, 'port', `${path}.port`, 1, 65535),
    };
  }

  endpoints(obj: Obj, key: string): NamedEndpoint[] {
    const value = obj[key];
    if (value === undefined) return [];
    if (!Array.isArray(value)) {
      this.problem(key, `must be an array of {name, host, port}, got ${show(value)}`);
      return [];
    }
    const list = value.map((item, i) => this.endpoint(item, `${key}[${i}]`));
    const seen = new Set<string>();
    list.forEach((e, i) => {
      if (e.name && seen.has(e.name)) this.problem(`${key}[${i}].name`, `duplicate name '${e.name}'`);
      seen.add(e.name);
    });
    return list;
  }
}

/** Validates a parsed config object; throws ShopConfigError listing every problem. */
export function validateConfig(input: unknown): ShopConfig {
  if (!isObject(input)) throw new ShopConfigError([`(root): must be a JSON object, got ${show(input)}`]);
  const r = new Reader();
  r.unknownKeys(input, KNOWN, '');
  const sessionStore = r.oneOf(input, 'sessionStore', 'sessionStore', sessionStores, 'memory');
  let sessionRedis: Endpoint | undefined;
  if (input.sessionRedis !== undefined || sessionStore === 'redis') {
    if (input.sessionRedis === undefined) {
      r.problem('sessionRedis', "is required when sessionStore is 'redis'");
    } else {
      const { host, port } = r.endpoint(input.sessionRedis, 'sessionRedis', 'sessions');
      sessionRedis = { host, port };
    }
  }
  const dbPassword = input.dbPassword === undefined ? undefined : r.string(input, 'dbPassword', 'dbPassword');
  const staticDir = input.staticDir === undefined ? undefined : r.string(input, 'staticDir', 'staticDir');
  const config: ShopConfig = {
    name: r.string(input, 'name', 'name'),
    port: r.int(input, 'port', 'port', 0, 65535),
    host: r.string(input, 'host', 'host', '127.0.0.1'),
    primary: r.endpoint(input.primary, 'primary', 'pg-primary'),
    replicas: r.endpoints(input, 'replicas'),
    caches: r.endpoints(input, 'caches'),
    sessionStore,
    sessionRedis,
    sessionSecret: r.string(input, 'sessionSecret', 'sessionSecret', DEFAULT_SECRET),
    mitigation: r.oneOf(input, 'mitigation', 'mitigation', mitigations, 'none'),
    primaryAfterWriteMs: r.int(input, 'primaryAfterWriteMs', 'primaryAfterWriteMs', 0, 3_600_000, 2000),
    cacheTtlSeconds: r.int(input, 'cacheTtlSeconds', 'cacheTtlSeconds', 1, 86_400, 30),
    stampedeGuard: r.oneOf(input, 'stampedeGuard', 'stampedeGuard', stampedeGuards, 'none'),
    cacheTimeoutMs: r.int(input, 'cacheTimeoutMs', 'cacheTimeoutMs', 1, 60_000, 100),
    dbTimeoutMs: r.int(input, 'dbTimeoutMs', 'dbTimeoutMs', 1, 300_000, 2000),
    staticMaxAgeSeconds: r.int(input, 'staticMaxAgeSeconds', 'staticMaxAgeSeconds', 0, 31_536_000, 60),
    staticDir,
    dbName: r.string(input, 'dbName', 'dbName', 'postgres'),
    dbUser: r.string(input, 'dbUser', 'dbUser', 'postgres'),
    dbPassword,
  };
  if (config.sessionSecret.length < 32) r.problem('sessionSecret', 'must be at least 32 characters');
  if (config.mitigation === 'write-through-cache' && config.caches.length === 0) {
    r.problem('mitigation', "'write-through-cache' needs at least one cache in caches");
  }
  if (r.problems.length) throw new ShopConfigError(r.problems);
  return config;
}
