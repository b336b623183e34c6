import assert from 'node:assert/strict';
import { ShopConfigError, validateConfig } from './config.ts';

function problems(input: unknown): string[] {
  try {
    validateConfig(input);
  } catch (err) {
    assert.ok(err instanceof ShopConfigError);
    return err.problems;
  }
  assert.fail('expected the config to be rejected');
}

describe('shop config', () => {
  it('fills in every default', () => {
    const config = validateConfig({ name: 'web-1', port: 8080, primary: { port: 5432 } });
    assert.deepEqual(config, {
      name: 'web-1',
      port: 8080,
      host: '127.0.0.1',
      primary: { name: 'pg-primary', host: '127.0.0.1', port: 5432 },
      replicas: [],
      caches: [],
      sessionStore: 'memory',
      sessionRedis: undefined,
      sessionSecret: config.sessionSecret,
      mitigation: 'none',
      primaryAfterWriteMs: 2000,
      cacheTtlSeconds: 30,
      stampedeGuard: 'none',
      cacheTimeoutMs: 100,
      dbTimeoutMs: 2000,
      staticMaxAgeSeconds: 60,
      staticDir: undefined,
      dbName: 'postgres',
      dbUser: 'postgres',
      dbPassword: undefined,
    });
    assert.ok(config.sessionSecret.length >= 32);
  });

  it('accepts a full topology', () => {
    const config = validateConfig({
      name: 'web-2',
      port: 0,
      host: '127.0.0.2',
      primary: { name: 'pg-primary', host: '127.0.0.1', port: 5432 },
      replicas: [
        { name: 'pg-replica-1', host: '127.0.0.1', port: 5433 },
        { name: 'pg-replica-2', host: '127.0.0.1', port: 5434 },
      ],
      caches: [{ name: 'cache-1', host: '127.0.0.1', port: 6379 }],
      sessionStore: 'redis',
      sessionRedis: { host: '127.0.0.1', port: 6380 },
      mitigation: 'lsn',
      primaryAfterWriteMs: 500,
      dbTimeoutMs: 300,
    });
    assert.equal(config.replicas.length, 2);
    assert.deepEqual(config.sessionRedis, { host: '127.0.0.1', port: 6380 });
    assert.equal(config.mitigation, 'lsn');
  });

  it('reports every problem at once, one line each, with its path', () => {
    const found = problems({
      port: 70000,
      primary: { port: 'x', extra: true },
      replicas: [{ name: 'r', port: 1 }, { name: 'r', port: 2 }, {}],
      caches: 'cache-1',
      sessionStore: 'redis',
      mitigation: 'sometimes',
      cacheTimeoutMs: 0,
      typo: 1,
    });
    assert.deepEqual(found, [
      'typo: unknown field',
      "sessionRedis: is required when sessionStore is 'redis'",
      'name: must be a non-empty string, got nothing',
      'port: must be an integer from 0 to 65535, got 70000',
      'primary.extra: unknown field',
      'primary.port: must be an integer from 1 to 65535, got "x"',
      'replicas[2].name: must be a non-empty string, got nothing',
      'replicas[2].port: must be an integer from 1 to 65535, got nothing',
      "replicas[1].name: duplicate name 'r'",
      'caches: must be an array of {name, host, port}, got "cache-1"',
      "mitigation: must be one of 'none', 'primary-after-write', 'lsn', 'write-through-cache', got \"sometimes\"",
      'cacheTimeoutMs: must be an integer from 1 to 60000, got 0',
    ]);
    for (const line of found) assert.ok(!line.includes('\n'));
  });

  it('needs a cache for the write-through-cache mitigation', () => {
    assert.deepEqual(
      problems({ name: 'w', port: 1, primary: { port: 2 }, mitigation: 'write-through-cache' }),
      ["mitigation: 'write-through-cache' needs at least one cache in caches"],
    );
  });
});
