/**
 * The shop reads faultline's web-app contract (docs/targets.md) like any user's app: where to listen,
 * its instance name, and each data service as a URL (through its own link), with node names beside
 * the URLs. Its own knobs (mitigation, cache TTL, ...) come as JSON in FAULTLINE_SHOP_OPTIONS.
 */
import { existsSync, statSync } from 'node:fs';
import { type ShopConfig, ShopConfigError, validateConfig } from './config.ts';

type Env = Record<string, string | undefined>;

const list = (text: string | undefined) => (text ?? '').split(',').filter((s) => s.trim() !== '');

/** Collects problems while reading the variables, so one pass reports all of them. */
class ContractReader {
  readonly problems: string[] = [];

  url(name: string, text: string | undefined, protocol: string): URL | undefined {
    if (text === undefined) return undefined;
    try {
      const url = new URL(text);
      if (url.protocol === protocol) return url;
      this.problems.push(`${name}: must be a ${protocol}// URL, got ${JSON.stringify(text)}`);
    } catch {
      this.problems.push(`${name}: is not a URL: ${JSON.stringify(text)}`);
    }
    return undefined;
  }

  directory(name: string, path: string): string {
    if (!(existsSync(path) && statSync(path).isDirectory()))
      this.problems.push(`${name}: ${JSON.stringify(path)} is not a directory`);
    return path;
  }

  /** URLs with the node names given beside them, in the same order. */
  nodes(urlsVar: string, namesVar: string, env: Env, protocol: string, prefix: string) {
    const urls = list(env[urlsVar]);
    const names = list(env[namesVar]);
    if (names.length && names.length !== urls.length) {
      this.problems.push(`${namesVar}: names ${names.length} nodes, ${urlsVar} ${urls.length}`);
    }
    return urls.flatMap((text, i) => {
      const url = this.url(`${urlsVar}[${i}]`, text, protocol);
      return url
        ? [{ name: names[i] ?? `${prefix}-${i + 1}`, host: url.hostname, port: Number(url.port) }]
        : [];
    });
  }

  options(text: string | undefined): Record<string, unknown> {
    if (text === undefined || text.trim() === '') return {};
    try {
      const parsed: unknown = JSON.parse(text);
      if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed))
        return parsed as Record<string, unknown>;
      this.problems.push('FAULTLINE_SHOP_OPTIONS: must be a JSON object');
    } catch (err) {
      this.problems.push(`FAULTLINE_SHOP_OPTIONS: is not valid JSON (${(err as Error).message})`);
    }
    return {};
  }
}

/** The instance's config from its environment; throws ShopConfigError listing every problem. */
export function configFromEnv(env: Env): ShopConfig {
  const r = new ContractReader();
  if (env.FAULTLINE_INSTANCE === undefined) r.problems.push('FAULTLINE_INSTANCE: is not set');
  if (env.PORT === undefined) r.problems.push('PORT: is not set');
  if (env.DATABASE_URL === undefined) r.problems.push('DATABASE_URL: is not set');
  const primary = r.url('DATABASE_URL', env.DATABASE_URL, 'postgres:');
  const sessions = r.url('SESSION_REDIS_URL', env.SESSION_REDIS_URL, 'redis:');
  const input = {
    name: env.FAULTLINE_INSTANCE ?? '',
    port: Number(env.PORT),
    host: env.HOST ?? '127.0.0.1',
    primary: {
      name: env.DATABASE_PRIMARY_NAME ?? 'pg-primary',
      host: primary?.hostname ?? '',
      port: Number(primary?.port ?? 0),
    },
    replicas: r.nodes('DATABASE_REPLICA_URLS', 'DATABASE_REPLICA_NAMES', env, 'postgres:', 'pg-replica'),
    caches: r.nodes('CACHE_REDIS_URLS', 'CACHE_REDIS_NAMES', env, 'redis:', 'cache'),
    sessionStore: sessions ? 'redis' : 'memory',
    ...(sessions ? { sessionRedis: { host: sessions.hostname, port: Number(sessions.port) } } : {}),
    ...(env.STATIC_DIR ? { staticDir: r.directory('STATIC_DIR', env.STATIC_DIR) } : {}),
    ...(primary?.username ? { dbUser: decodeURIComponent(primary.username) } : {}),
    ...(primary?.password ? { dbPassword: decodeURIComponent(primary.password) } : {}),
    ...(primary && primary.pathname.length > 1
      ? { dbName: decodeURIComponent(primary.pathname.slice(1)) }
      : {}),
    ...r.options(env.FAULTLINE_SHOP_OPTIONS),
  };
  // The contract's problems and the config's, in one message.
  let config: ShopConfig | undefined;
  try {
    config = validateConfig(input);
  } catch (err) {
    if (!(err instanceof ShopConfigError)) throw err;
    r.problems.push(...err.problems);
  }
  if (r.problems.length || !config) throw new ShopConfigError(r.problems);
  return config;
}
