/** The web-app component: the user's app spec as runtimes run it, and the environment contract. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FaultlineError } from '../core/errors.ts';
import { architectureSchema, composeArchitecture } from './architecture.ts';
import { linksOf, serviceNamesOf } from './composition.ts';
import { appSpecSchema, contractEnv, webAppFrom } from './web-app.ts';

const app = webAppFrom(appSpecSchema.parse({ command: ['python3', 'app.py'] }));
const compose = (options: object) => composeArchitecture('demo', architectureSchema.parse(options), app);
/** Each link's address is its own port, so a mix-up shows. */
const ports = new Map<string, number>();
const reach = (link: string) => {
  if (!ports.has(link)) ports.set(link, 40000 + ports.size);
  return { host: '127.0.0.1', port: ports.get(link) as number };
};

describe('the web-app contract', () => {
  const c = compose({ web: 2, cache: 2, replicas: 2 });
  const env = contractEnv(c, 'web-2', { host: '127.0.0.1', port: 3002 }, reach);
  const at = (link: string) => reach(link).port;

  it('PORT and HOST: where the instance listens', () => {
    assert.equal(env.PORT, '3002');
    assert.equal(env.HOST, '127.0.0.1');
  });

  it('FAULTLINE_INSTANCE: its name', () => assert.equal(env.FAULTLINE_INSTANCE, 'web-2'));

  it('DATABASE_URL: the primary through this instance’s own link, named by DATABASE_PRIMARY_NAME', () => {
    assert.equal(env.DATABASE_URL, `postgres://postgres@127.0.0.1:${at('web-2->pg-primary')}/postgres`);
    assert.equal(env.DATABASE_PRIMARY_NAME, 'pg-primary');
  });

  it('with a failover manager, DATABASE_URL is the write endpoint pg-write through the instance’s own link', () => {
    const manual = contractEnv(
      compose({ failover: { manager: 'manual' } }),
      'web-1',
      { host: '127.0.0.1', port: 1 },
      reach,
    );
    assert.equal(manual.DATABASE_URL, `postgres://postgres@127.0.0.1:${at('web-1->pg-write')}/postgres`);
    assert.equal(manual.DATABASE_PRIMARY_NAME, 'pg-write');
  });

  it('DATABASE_REPLICA_URLS and DATABASE_REPLICA_NAMES: each replica through its own link, in one order', () => {
    assert.deepEqual(env.DATABASE_REPLICA_URLS?.split(','), [
      `postgres://postgres@127.0.0.1:${at('web-2->pg-replica-1')}/postgres`,
      `postgres://postgres@127.0.0.1:${at('web-2->pg-replica-2')}/postgres`,
    ]);
    assert.equal(env.DATABASE_REPLICA_NAMES, 'pg-replica-1,pg-replica-2');
  });

  it('CACHE_REDIS_URLS and CACHE_REDIS_NAMES: the cache nodes, empty without a cache', () => {
    assert.equal(
      env.CACHE_REDIS_URLS,
      `redis://127.0.0.1:${at('web-2->cache-1')},redis://127.0.0.1:${at('web-2->cache-2')}`,
    );
    assert.equal(env.CACHE_REDIS_NAMES, 'cache-1,cache-2');
    const none = contractEnv(compose({ cache: 0 }), 'web-1', { host: '0.0.0.0', port: 3000 }, reach);
    assert.deepEqual([none.CACHE_REDIS_URLS, none.CACHE_REDIS_NAMES], ['', '']);
  });

  it('SESSION_REDIS_URL: the session store, absent for memory sessions', () => {
    assert.equal(env.SESSION_REDIS_URL, `redis://127.0.0.1:${at('web-2->sessions')}`);
    const memory = contractEnv(
      compose({ sessionStore: 'memory' }),
      'web-1',
      { host: '0.0.0.0', port: 1 },
      reach,
    );
    assert.equal('SESSION_REDIS_URL' in memory, false);
  });

  it('STATIC_DIR: where the runtime put faultline’s copy of the app’s staticDir, absent without one', () => {
    assert.equal(env.STATIC_DIR, undefined);
    const withFiles = contractEnv(c, 'web-1', { host: '0.0.0.0', port: 3000 }, reach, '/faultline/static');
    assert.equal(withFiles.STATIC_DIR, '/faultline/static');
  });

  it('every variable names a link the topology has', () => {
    const links = new Set(linksOf(c).map((l) => l.name));
    for (const link of ports.keys()) if (link.startsWith('web-2->')) assert.ok(links.has(link), link);
    assert.ok(serviceNamesOf(c).includes('web-2'));
  });

  it('with the manual runbook: pg-write reaches every node, and each replica each other (to be repointed)', () => {
    const manual = compose({ web: 1, replicas: 2, failover: { manager: 'manual' } });
    const links = linksOf(manual).map((l) => l.name);
    for (const link of [
      'web-1->pg-write',
      'pg-write->pg-primary',
      'pg-write->pg-replica-1',
      'pg-write->pg-replica-2',
      'pg-replica-1->pg-replica-2',
      'pg-replica-2->pg-replica-1',
    ])
      assert.ok(links.includes(link), link);
    assert.ok(!links.includes('web-1->pg-primary'), 'writers reach the primary only through pg-write');
    assert.ok(serviceNamesOf(manual).includes('pg-write'));
  });
});

describe('the user’s app spec', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'faultline-app-'));
    writeFileSync(join(dir, 'schema.sql'), 'CREATE TABLE IF NOT EXISTS t (id int);');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('runs its command in cwd, reads its schema relative to cwd, and labels itself', async () => {
    const web = webAppFrom(
      appSpecSchema.parse({ command: ['python3', 'app.py'], cwd: dir, schema: 'schema.sql' }),
    );
    assert.deepEqual(await web.local?.(), { command: ['python3', 'app.py'], cwd: dir, env: {} });
    assert.equal(web.schema?.source, join(dir, 'schema.sql'));
    assert.match(web.schema?.sql ?? '', /CREATE TABLE/);
    assert.equal(web.label, 'command: python3 app.py');
    assert.equal(web.docker, undefined, 'no image: nothing for the docker runtime');
    assert.deepEqual(
      [web.healthPath, web.staticPrefix, web.startTimeoutMs],
      ['/healthz', '/static/', 30_000],
    );
  });

  it('an image is what the docker runtime runs', async () => {
    const web = webAppFrom(
      appSpecSchema.parse({ image: 'acme/api:1.4', env: { A: '1' }, startTimeout: '5s' }),
    );
    assert.deepEqual(await web.docker?.(), { image: 'acme/api:1.4', env: { A: '1' } });
    assert.equal(web.startTimeoutMs, 5000);
    assert.equal(web.local, undefined);
  });

  it('refuses a missing cwd or an unreadable schema with a usage error naming it', () => {
    const refused = (spec: object, pattern: RegExp) =>
      assert.throws(
        () => webAppFrom(appSpecSchema.parse(spec)),
        (err: unknown) => err instanceof FaultlineError && err.exitCode === 2 && pattern.test(err.message),
      );
    refused({ command: ['x'], cwd: join(dir, 'nope') }, /app cwd .*nope is not a directory/);
    refused(
      { command: ['x'], cwd: dir, schema: 'missing.sql' },
      /app schema .*missing\.sql cannot be read: ENOENT/,
    );
    refused({ command: ['x'], cwd: dir, staticDir: 'public' }, /app\.staticDir .*public is not a directory/);
  });

  it('a staticDir is resolved against cwd', () => {
    const web = webAppFrom(appSpecSchema.parse({ command: ['x'], cwd: dir, staticDir: '.' }));
    assert.equal(web.staticDir, dir);
  });

  it('needs a command or an image, and paths that are paths', () => {
    const problems = (spec: object) =>
      appSpecSchema.safeParse(spec).error?.issues.map((i) => i.message) ?? [];
    assert.deepEqual(problems({}), ['give a command (local runtime) or an image (docker runtime), or both']);
    assert.deepEqual(problems({ image: 'x', healthPath: 'healthz' }), ['must be a path, like "/healthz"']);
  });
});
