/** How the shop reads faultline's environment contract, one variable at a time. */
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { ShopConfigError } from './config.ts';
import { configFromEnv } from './contract.ts';

const base = {
  FAULTLINE_INSTANCE: 'web-2',
  PORT: '4100',
  DATABASE_URL: 'postgres://postgres@127.0.0.1:5500/postgres',
};

const problems = (env: Record<string, string>) => {
  try {
    configFromEnv(env);
  } catch (err) {
    if (err instanceof ShopConfigError) return err.problems;
    throw err;
  }
  return [];
};

describe('the shop under the web-app contract', () => {
  it('listens on PORT at HOST (127.0.0.1 when unset) and names itself FAULTLINE_INSTANCE', () => {
    const config = configFromEnv(base);
    assert.deepEqual([config.name, config.host, config.port], ['web-2', '127.0.0.1', 4100]);
    assert.equal(configFromEnv({ ...base, HOST: '0.0.0.0' }).host, '0.0.0.0');
  });

  it('writes to DATABASE_URL, named DATABASE_PRIMARY_NAME, with its user, password and database', () => {
    const config = configFromEnv({
      ...base,
      DATABASE_URL: 'postgres://app:s%40cret@10.0.0.9:6432/shop',
      DATABASE_PRIMARY_NAME: 'pg-main',
    });
    assert.deepEqual(config.primary, { name: 'pg-main', host: '10.0.0.9', port: 6432 });
    assert.deepEqual([config.dbUser, config.dbPassword, config.dbName], ['app', 's@cret', 'shop']);
    assert.equal(configFromEnv(base).primary.name, 'pg-primary');
  });

  it('reads from DATABASE_REPLICA_URLS, named by DATABASE_REPLICA_NAMES in the same order', () => {
    const config = configFromEnv({
      ...base,
      DATABASE_REPLICA_URLS:
        'postgres://postgres@127.0.0.1:5501/postgres,postgres://postgres@127.0.0.1:5502/postgres',
      DATABASE_REPLICA_NAMES: 'pg-replica-1,pg-replica-2',
    });
    assert.deepEqual(config.replicas, [
      { name: 'pg-replica-1', host: '127.0.0.1', port: 5501 },
      { name: 'pg-replica-2', host: '127.0.0.1', port: 5502 },
    ]);
    assert.deepEqual(configFromEnv({ ...base, DATABASE_REPLICA_URLS: '' }).replicas, []);
  });

  it('caches in CACHE_REDIS_URLS, hashing keys by CACHE_REDIS_NAMES', () => {
    const config = configFromEnv({
      ...base,
      CACHE_REDIS_URLS: 'redis://127.0.0.1:6601,redis://127.0.0.1:6602',
      CACHE_REDIS_NAMES: 'cache-1,cache-2',
    });
    assert.deepEqual(
      config.caches.map((c) => `${c.name}@${c.port}`),
      ['cache-1@6601', 'cache-2@6602'],
    );
  });

  it('keeps sessions in SESSION_REDIS_URL, and in memory without it', () => {
    const redis = configFromEnv({ ...base, SESSION_REDIS_URL: 'redis://127.0.0.1:6700' });
    assert.equal(redis.sessionStore, 'redis');
    assert.deepEqual(redis.sessionRedis, { host: '127.0.0.1', port: 6700 });
    assert.equal(configFromEnv(base).sessionStore, 'memory');
  });

  it('serves its static files from STATIC_DIR, its own without it; one that is no directory is a problem', () => {
    const dir = fileURLToPath(new URL('../static', import.meta.url));
    assert.equal(configFromEnv({ ...base, STATIC_DIR: dir }).staticDir, dir);
    assert.equal(configFromEnv(base).staticDir, undefined);
    assert.deepEqual(problems({ ...base, STATIC_DIR: '/nonexistent/static' }), [
      'STATIC_DIR: "/nonexistent/static" is not a directory',
    ]);
  });

  it('takes its own knobs from FAULTLINE_SHOP_OPTIONS', () => {
    const config = configFromEnv({
      ...base,
      FAULTLINE_SHOP_OPTIONS: '{"mitigation":"lsn","cacheTtlSeconds":9}',
    });
    assert.deepEqual([config.mitigation, config.cacheTtlSeconds], ['lsn', 9]);
  });

  it('names every missing or malformed variable at once', () => {
    assert.deepEqual(problems({}).slice(0, 3), [
      'FAULTLINE_INSTANCE: is not set',
      'PORT: is not set',
      'DATABASE_URL: is not set',
    ]);
    const found = problems({
      ...base,
      DATABASE_URL: 'mysql://x:1',
      CACHE_REDIS_URLS: 'redis://127.0.0.1:1',
      CACHE_REDIS_NAMES: 'a,b',
      FAULTLINE_SHOP_OPTIONS: '[]',
    });
    assert.ok(found.includes('DATABASE_URL: must be a postgres:// URL, got "mysql://x:1"'), found.join('\n'));
    assert.ok(found.includes('CACHE_REDIS_NAMES: names 2 nodes, CACHE_REDIS_URLS 1'));
    assert.ok(found.includes('FAULTLINE_SHOP_OPTIONS: must be a JSON object'));
  });
});
