/**
 * pyshop, the Python target, as faultline runs a user's app: /usr/bin/python3 app.py as a child
 * process, told everything through the environment contract, against a real PostgreSQL primary with
 * two streaming replicas, two Redis cache nodes and a Redis session store, all on loopback.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { Proxy as ApiProxy } from 'toxiproxy-node-client';
import { Toxiproxy } from 'toxiproxy-node-client';
import { createLogger } from '../../harness/core/logger.ts';
import { LocalService } from '../../harness/runtime/local/local-service.ts';
import {
  type PostgresNode,
  query,
  startPrimary,
  startReplica,
  waitStreaming,
  withClient,
} from '../../harness/runtime/local/postgres.ts';
import { type Check, ensureChecks } from '../../harness/runtime/local/prerequisites.ts';
import { startRedis } from '../../harness/runtime/local/redis.ts';
import { LocalSession } from '../../harness/runtime/local/session.ts';
import { freePorts } from '../../harness/runtime/ports.ts';
import { ToxiproxyServer } from '../../harness/toxiproxy/api-server.ts';

const run = promisify(execFile);
const PYTHON = '/usr/bin/python3'; // Debian's: python3-psycopg2 and python3-redis install for it only
const APP = fileURLToPath(new URL('./app.py', import.meta.url));
const SCHEMA = readFileSync(new URL('./schema.sql', import.meta.url), 'utf8');
const STATIC = fileURLToPath(new URL('./static', import.meta.url));
const REPLICAS = ['pg-replica-1', 'pg-replica-2'];
const CACHES = ['cache-1', 'cache-2'];

async function moduleCheck(module: string, debianPackage: string): Promise<Check> {
  try {
    const { stdout } = await run(PYTHON, ['-c', `import ${module}; print(${module}.__version__)`], {
      timeout: 10_000,
    });
    return { name: `python ${module}`, ok: true, detail: `${module} ${stdout.trim()}` };
  } catch {
    return {
      name: `python ${module}`,
      ok: false,
      detail: `${PYTHON} cannot import ${module}`,
      debianPackage,
      fix: `apt-get install -y ${debianPackage}`,
    };
  }
}

/** What app.py needs: Debian's python3 with its psycopg2 and redis packages. */
async function pythonChecks(): Promise<Check[]> {
  if (!existsSync(PYTHON)) {
    const fix = 'apt-get install -y python3 python3-psycopg2 python3-redis';
    return [{ name: 'python3', ok: false, detail: `${PYTHON} not found`, debianPackage: 'python3', fix }];
  }
  return [await moduleCheck('psycopg2', 'python3-psycopg2'), await moduleCheck('redis', 'python3-redis')];
}

const pgUrl = (port: number) => `postgres://postgres@127.0.0.1:${port}/postgres`;
const redisUrl = (port: number) => `redis://127.0.0.1:${port}`;

interface Reply {
  status: number;
  headers: Headers;
  body: unknown;
  ms: number;
}

/** A client with a cookie jar (name=value), like one shopper's browser. */
class Shopper {
  readonly cookies = new Map<string, string>();

  async send(url: string, method = 'GET', body?: string): Promise<Reply> {
    const headers: Record<string, string> = {};
    if (this.cookies.size) headers.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    if (body !== undefined) headers['content-type'] = 'application/json';
    const started = performance.now();
    const response = await fetch(url, { method, headers, body, signal: AbortSignal.timeout(10_000) });
    const text = await response.text();
    const ms = performance.now() - started;
    for (const cookie of response.headers.getSetCookie()) {
      const [pair = ''] = cookie.split(';');
      const at = pair.indexOf('=');
      this.cookies.set(pair.slice(0, at), pair.slice(at + 1));
    }
    const json = response.headers.get('content-type')?.includes('application/json');
    return { status: response.status, headers: response.headers, body: json ? JSON.parse(text) : text, ms };
  }

  get(url: string): Promise<Reply> {
    return this.send(url);
  }

  post(url: string, json?: unknown): Promise<Reply> {
    return this.send(url, 'POST', json === undefined ? undefined : JSON.stringify(json));
  }
}

const get = (url: string) => new Shopper().get(url);
const post = (url: string, json?: unknown) => new Shopper().post(url, json);

/** A GET with the path sent as written: fetch() would resolve `..` and `%2e%2e` before sending. */
function rawGet(base: string, path: string): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const req = request({ hostname, port, path, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        body += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.setTimeout(10_000, () => req.destroy(new Error(`GET ${path}: no answer in 10 s`)));
    req.on('error', reject);
    req.end();
  });
}

function seededProduct(id: number) {
  return { id, name: `Product ${String(id).padStart(5, '0')}`, price_cents: 100 + ((id * 7919) % 99900) };
}

describe('pyshop: a Python target on the environment contract (real PostgreSQL, replicas, Redis)', function () {
  this.timeout(60_000);
  let session: LocalSession | undefined;
  let primary: PostgresNode;
  let replicas: PostgresNode[] = [];
  let caches: LocalService[] = [];
  let sessions: LocalService;
  let toxiproxy: ToxiproxyServer | undefined;
  let api: Toxiproxy;
  const apps: LocalService[] = [];
  const temps: string[] = [];
  let web1: string;

  /** The contract's variables for one instance; `extra` overrides or adds. */
  function contract(
    instance: string,
    port: number,
    extra: Record<string, string> = {},
  ): Record<string, string> {
    return {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      PORT: `${port}`,
      HOST: '127.0.0.1',
      FAULTLINE_INSTANCE: instance,
      DATABASE_URL: pgUrl(primary.port),
      DATABASE_PRIMARY_NAME: 'pg-primary',
      DATABASE_REPLICA_URLS: replicas.map((r) => pgUrl(r.port)).join(','),
      DATABASE_REPLICA_NAMES: REPLICAS.join(','),
      CACHE_REDIS_URLS: caches.map((c) => redisUrl(c.ports.redis as number)).join(','),
      CACHE_REDIS_NAMES: CACHES.join(','),
      ...extra,
    };
  }

  /** Starts one instance and resolves once it printed its serving line; returns its base URL. */
  async function startApp(instance: string, extra: Record<string, string> = {}): Promise<LocalService> {
    const [port] = (await freePorts(1)) as [number];
    const app = new LocalService(
      {
        name: instance,
        command: PYTHON,
        args: [APP],
        env: contract(instance, port, extra),
        ports: { http: port },
        readyTimeoutMs: 10_000,
        ready: (service, signal) =>
          service.log.waitFor(/^pyshop \S+ listening on http:\/\//, signal).then(() => undefined),
      },
      session as LocalSession,
    );
    await app.start();
    apps.push(app);
    return app;
  }

  const urlOf = (app: LocalService) => `http://127.0.0.1:${app.ports.http}`;

  /** A temp dir (removed after the suite) holding `static/`: a copy of the app's static files, as
   * faultline makes STATIC_DIR before the instances start. */
  function staticCopy(): { root: string; dir: string } {
    const root = mkdtempSync(join(tmpdir(), 'pyshop-static-'));
    temps.push(root);
    const dir = join(root, 'static');
    cpSync(STATIC, dir, { recursive: true });
    return { root, dir };
  }

  /** Stops an instance with SIGTERM and checks it exited 0, as the contract asks. */
  async function stopApp(app: LocalService): Promise<void> {
    await app.stop();
    assert.match(app.log.tail(1)[0] ?? '', /exited \(code 0\)/, app.log.tail(5).join(' | '));
  }

  /** Resolves once every replica has replayed product `id` at `version`. */
  async function waitReplicas(id: number, version: number): Promise<void> {
    const deadline = Date.now() + 10_000;
    for (const replica of replicas) {
      for (;;) {
        const [row] = await query<{ version: number }>(
          replica.port,
          'SELECT version FROM products WHERE id = $1',
          [id],
        );
        if (row?.version === version) break;
        assert.ok(Date.now() < deadline, `replica on ${replica.port} did not replay version ${version}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    }
  }

  before(async function () {
    this.timeout(600_000); // a first-time apt-get install of the Python packages can take minutes
    try {
      await ensureChecks(pythonChecks, createLogger('info'));
    } catch (err) {
      console.log(`      skipped, Python is not usable here: ${(err as Error).message}`);
      this.skip();
    }
    this.timeout(60_000);
    session = LocalSession.open();
    const ports = (await freePorts(6)) as [number, number, number, number, number, number];
    primary = await startPrimary(session, 'pg-primary', ports[0]);
    // faultline applies the target's schema before the first instance starts; applying it twice
    // proves it idempotent.
    await withClient(primary.port, async (client) => {
      await client.query(SCHEMA);
      await client.query(SCHEMA);
    });
    replicas = await Promise.all(
      REPLICAS.map((name, i) =>
        startReplica(session as LocalSession, name, ports[1 + i] as number, primary.port),
      ),
    );
    await Promise.all(REPLICAS.map((name) => waitStreaming(primary.port, name, AbortSignal.timeout(10_000))));
    caches = await Promise.all(
      CACHES.map((name, i) => startRedis(session as LocalSession, name, ports[3 + i] as number)),
    );
    sessions = await startRedis(session, 'sessions', ports[5]);
    toxiproxy = new ToxiproxyServer();
    api = new Toxiproxy(await toxiproxy.listen(0, '127.0.0.1'));
    web1 = urlOf(await startApp('web-1'));
  });

  after(async () => {
    await Promise.all(apps.map((a) => a.kill('SIGKILL')));
    for (const dir of temps) rmSync(dir, { recursive: true, force: true });
    await toxiproxy?.close();
    await Promise.all(
      [...replicas.map((r) => r.service), ...caches, sessions, primary?.service].map((s) =>
        s?.kill('SIGKILL'),
      ),
    );
    session?.close();
  });

  it('schema.sql seeds 1000 deterministic products, and applying it again changes nothing', async () => {
    const [all] = await query<{ n: number; v: number }>(
      primary.port,
      'SELECT count(*)::int AS n, max(version) AS v FROM products',
    );
    assert.deepEqual(all, { n: 1000, v: 1 });
    const [seven] = await query(primary.port, 'SELECT id, name, price_cents FROM products WHERE id = 7');
    assert.deepEqual(seven, seededProduct(7));
  });

  it('is ready on GET /healthz without the database, and answers 503 quickly when the database is down', async () => {
    const [dead] = (await freePorts(1)) as [number]; // nothing listens there
    const app = await startApp('web-nodb', {
      DATABASE_URL: pgUrl(dead),
      DATABASE_REPLICA_URLS: '',
      DATABASE_REPLICA_NAMES: '',
      CACHE_REDIS_URLS: '',
      CACHE_REDIS_NAMES: '',
    });
    const health = await get(`${urlOf(app)}/healthz`);
    assert.equal(health.status, 200);
    assert.equal(health.body, 'ok');
    assert.equal(health.headers.get('x-served-by'), 'web-nodb');
    const read = await get(`${urlOf(app)}/products/1`);
    assert.equal(read.status, 503);
    assert.match(String((read.body as { error: string }).error), /^pg-primary unavailable: /);
    assert.equal(read.headers.get('x-served-by'), 'web-nodb', 'errors name the instance too');
    assert.equal(read.headers.get('x-cache'), 'off', 'no CACHE_REDIS_URLS: no cache');
    assert.ok(read.ms < 1000, `503 after ${read.ms.toFixed(0)} ms`);
    const write = await post(`${urlOf(app)}/products/1`);
    assert.equal(write.status, 503);
    const ledger = await post(`${urlOf(app)}/ledger/while-down`);
    assert.equal(ledger.status, 503);
    assert.equal(ledger.headers.get('x-written-to'), null, 'nothing acknowledged');
    await stopApp(app);
  });

  it('reads a miss from a replica (X-Read-From), then the same product from the cache (X-Cache: hit, no X-Read-From)', async () => {
    const first = await get(`${web1}/products/1`);
    assert.equal(first.status, 200);
    assert.deepEqual(first.body, { ...seededProduct(1), version: 1 });
    assert.equal(first.headers.get('x-served-by'), 'web-1');
    assert.equal(first.headers.get('x-cache'), 'miss');
    assert.ok(
      REPLICAS.includes(first.headers.get('x-read-from') ?? ''),
      `${first.headers.get('x-read-from')}`,
    );
    assert.equal(
      first.headers.get('x-read-from'),
      first.headers.get('x-read-from'),
      "the header faultline's samples read",
    );
    assert.equal(first.headers.get('x-version'), '1');
    const node = first.headers.get('x-cache-node');
    assert.ok(CACHES.includes(node ?? ''), `${node}`);

    const second = await get(`${web1}/products/1`);
    assert.equal(second.status, 200);
    assert.deepEqual(second.body, first.body);
    assert.equal(second.headers.get('x-cache'), 'hit');
    assert.equal(second.headers.get('x-read-from'), null, 'a hit never touches the database');
    assert.equal(second.headers.get('x-version'), '1');
    assert.equal(second.headers.get('x-cache-node'), node);
  });

  it('keeps a product cached for CACHE_TTL_SECONDS (the target’s cacheTtl), and refuses a TTL under 1 s with exit 2', async () => {
    const short = await startApp('web-ttl', { CACHE_TTL_SECONDS: '1' });
    const read = async () => (await get(`${urlOf(short)}/products/9`)).headers.get('x-cache');
    assert.equal(await read(), 'miss');
    assert.equal(await read(), 'hit');
    await new Promise((r) => setTimeout(r, 1300));
    assert.equal(await read(), 'miss', 'expired after 1 s');
    await stopApp(short);
    const [port] = (await freePorts(1)) as [number];
    const refused = await run(PYTHON, [APP], {
      env: contract('web-bad', port, { CACHE_TTL_SECONDS: '0' }),
    }).then(
      () => assert.fail('pyshop started with a TTL of 0'),
      (err: { code?: number; stderr?: string }) => err,
    );
    assert.equal(refused.code, 2);
    assert.match(
      refused.stderr ?? '',
      /^pyshop: CACHE_TTL_SECONDS must be a whole number of seconds, at least 1, got '0'\n$/,
    );
  });

  it('spreads misses over both replicas in turn', async () => {
    const nodes: string[] = [];
    for (let id = 11; id <= 14; id++)
      nodes.push((await get(`${web1}/products/${id}`)).headers.get('x-read-from') ?? '');
    assert.deepEqual([...new Set(nodes)].sort(), REPLICAS, nodes.join(' '));
  });

  it('a write bumps the version on the primary and clears the cache; the next read sees it once the replicas caught up', async () => {
    const before = await get(`${web1}/products/2`);
    assert.equal(before.headers.get('x-version'), '1');
    const write = await post(`${web1}/products/2`);
    assert.equal(write.status, 200);
    assert.deepEqual(write.body, { id: 2, version: 2 });
    assert.equal(write.headers.get('x-version'), '2');
    assert.equal(write.headers.get('x-read-from'), 'pg-primary');
    assert.equal(write.headers.get('x-cache-write'), 'del');
    await waitReplicas(2, 2);
    const after = await get(`${web1}/products/2`);
    assert.equal(after.headers.get('x-cache'), 'miss', 'the write removed the cached copy');
    assert.equal(after.headers.get('x-version'), '2');
    assert.ok(REPLICAS.includes(after.headers.get('x-read-from') ?? ''));

    const priced = await post(`${web1}/products/2`, { price_cents: 1234 });
    assert.deepEqual(priced.body, { id: 2, version: 3 });
    await waitReplicas(2, 3);
    assert.deepEqual((await get(`${web1}/products/2`)).body, {
      ...seededProduct(2),
      price_cents: 1234,
      version: 3,
    });
  });

  /** The ledger rows for `id` on the primary. */
  const ledgerRows = (id: string) =>
    query<{ node: string; written_at: Date }>(
      primary.port,
      'SELECT node, written_at FROM faultline_ledger WHERE id = $1',
      [id],
    );

  it('POST /ledger/:id stores a new id on the primary: 201 {id, node}, X-Written-To naming the server (its faultline.node setting)', async () => {
    const r = await post(`${web1}/ledger/a1b2c3d4-1`);
    assert.equal(r.status, 201);
    assert.deepEqual(r.body, { id: 'a1b2c3d4-1', node: 'pg-primary' });
    assert.equal(r.headers.get('x-written-to'), 'pg-primary');
    assert.equal(r.headers.get('x-served-by'), 'web-1');
    const rows = await ledgerRows('a1b2c3d4-1');
    assert.equal(rows.length, 1);
    assert.equal(rows[0]?.node, 'pg-primary');
    assert.ok(rows[0]?.written_at instanceof Date);
  });

  it('POST /ledger/:id again answers 200 with the node that stored it, keeping one row, concurrent duplicates too', async () => {
    assert.equal((await post(`${web1}/ledger/retry_me`)).status, 201);
    const again = await post(`${web1}/ledger/retry_me`);
    assert.equal(again.status, 200);
    assert.deepEqual(again.body, { id: 'retry_me', node: 'pg-primary' });
    assert.equal(again.headers.get('x-written-to'), 'pg-primary');
    assert.equal((await ledgerRows('retry_me')).length, 1);

    const racing = await Promise.all(Array.from({ length: 8 }, () => post(`${web1}/ledger/racy`)));
    assert.deepEqual(racing.map((r) => r.status).sort(), [200, 200, 200, 200, 200, 200, 200, 201]);
    assert.ok(racing.every((r) => r.headers.get('x-written-to') === 'pg-primary'));
    assert.equal((await ledgerRows('racy')).length, 1);
  });

  it('POST /ledger/:id refuses an id that is not 1 to 64 of [A-Za-z0-9_-] with 400, storing nothing', async () => {
    for (const id of ['', 'a.b', 'caf%C3%A9', 'x'.repeat(65), 'semi%3Bcolon', '%20', 'nl%0A']) {
      const r = await post(`${web1}/ledger/${id}`);
      assert.equal(r.status, 400, id);
      assert.deepEqual(r.body, { error: 'id must be 1 to 64 of A-Z a-z 0-9 _ -' });
      assert.equal(r.headers.get('x-written-to'), null);
    }
    assert.equal((await post(`${web1}/ledger/${'x'.repeat(64)}`)).status, 201);
    const [count] = await query<{ n: number }>(
      primary.port,
      "SELECT count(*)::int AS n FROM faultline_ledger WHERE id !~ '^[A-Za-z0-9_-]{1,64}$'",
    );
    assert.equal(count?.n, 0);
  });

  it('answers 400 for a malformed id or body and 404 for an unknown product or route, like the shop', async () => {
    const statuses = async (requests: [string, string, unknown?][]) =>
      Promise.all(
        requests.map(
          async ([method, path, body]) =>
            (await new Shopper().send(`${web1}${path}`, method, body as string)).status,
        ),
      );
    assert.deepEqual(
      await statuses([
        ['GET', '/products/abc'],
        ['GET', '/products/1.5'],
        ['POST', '/products/abc'],
        ['POST', '/products/1', '{"price_cents": -1}'],
        ['POST', '/products/1', 'not json'],
        ['POST', '/login', '{}'],
      ]),
      [400, 400, 400, 400, 400, 400],
    );
    assert.deepEqual(
      await statuses([
        ['GET', '/products/0'],
        ['GET', '/products/99999'],
        ['GET', '/products/99999999999'],
        ['POST', '/products/99999'],
        ['GET', '/nowhere'],
        ['GET', '/static/missing.css'],
      ]),
      [404, 404, 404, 404, 404, 404],
    );
    const unknown = await get(`${web1}/products/99999`);
    assert.deepEqual(unknown.body, { error: 'product not found' });
    assert.ok(REPLICAS.includes(unknown.headers.get('x-read-from') ?? ''), 'the replica said so');
  });

  it('serves static files a CDN edge can cache and revalidate', async () => {
    for (const [file, type] of [
      ['app.css', /^text\/css/],
      ['app.js', /^text\/javascript/],
      ['logo.svg', /^image\/svg\+xml/],
    ] as const) {
      const reply = await get(`${web1}/static/${file}?v=3`);
      assert.equal(reply.status, 200);
      assert.match(reply.headers.get('content-type') ?? '', type);
      assert.equal(reply.headers.get('cache-control'), 'public, max-age=5');
      assert.equal(reply.headers.get('set-cookie'), null, 'a cookie would make the edge pass');
      const etag = reply.headers.get('etag') ?? '';
      const lastModified = reply.headers.get('last-modified') ?? '';
      assert.match(etag, /^"[0-9a-f]+"$/);
      const byTag = await fetch(`${web1}/static/${file}`, { headers: { 'if-none-match': etag } });
      assert.equal(byTag.status, 304);
      const byDate = await fetch(`${web1}/static/${file}`, {
        headers: { 'if-modified-since': lastModified },
      });
      assert.equal(byDate.status, 304);
    }
  });

  it('with STATIC_DIR, serves /static/<file> from there and a changed file at once: new body, new ETag, 304 only for the new ETag', async () => {
    const { dir } = staticCopy();
    const app = await startApp('web-static', { STATIC_DIR: dir });
    const css = `${urlOf(app)}/static/app.css`;
    const original = readFileSync(join(STATIC, 'app.css'), 'utf8');
    const first = await get(css);
    assert.equal(first.status, 200);
    assert.equal(first.body, original, 'the copy faultline made');
    assert.match(first.headers.get('content-type') ?? '', /^text\/css/);
    assert.equal(first.headers.get('cache-control'), 'public, max-age=5');
    const oldTag = first.headers.get('etag') ?? '';
    assert.match(oldTag, /^"[0-9a-f]+"$/);
    assert.equal((await fetch(css, { headers: { 'if-none-match': oldTag } })).status, 304);

    const deployed = '/* deploy 2 */\nbody { color: rebeccapurple; }\n';
    writeFileSync(join(dir, 'app.css'), deployed); // a deploy, while the app runs
    const second = await get(css);
    assert.equal(second.status, 200);
    assert.equal(second.body, deployed, 'the new content on the next GET, no restart');
    const newTag = second.headers.get('etag') ?? '';
    assert.match(newTag, /^"[0-9a-f]+"$/);
    assert.notEqual(newTag, oldTag, 'new content, new ETag');
    assert.equal((await fetch(css, { headers: { 'if-none-match': newTag } })).status, 304);
    const byOld = await fetch(css, { headers: { 'if-none-match': oldTag } });
    assert.equal(byOld.status, 200, 'a cached copy of the old file is stale now');
    assert.equal(byOld.headers.get('etag'), newTag);
    assert.equal(await byOld.text(), deployed);

    assert.equal((await get(`${web1}/static/app.css`)).body, original, 'without STATIC_DIR: its own static/');
    await stopApp(app);
  });

  it('with STATIC_DIR, identical bytes keep their ETag; a rename over a file is seen even with the same size and mtime; a file added is served, one removed is 404', async () => {
    const { dir } = staticCopy();
    const app = await startApp('web-static-2', { STATIC_DIR: dir });
    const url = (file: string) => `${urlOf(app)}/static/${file}`;
    const before = await get(url('app.js'));
    await new Promise((resolve) => setTimeout(resolve, 20)); // a later mtime
    writeFileSync(join(dir, 'app.js'), readFileSync(join(STATIC, 'app.js')));
    const rewritten = await get(url('app.js'));
    assert.equal(rewritten.status, 200);
    assert.equal(rewritten.headers.get('etag'), before.headers.get('etag'), 'same bytes, same ETag');

    // A deploy by rename, keeping size and mtime (a tar extraction sets whole-second mtimes).
    const css = join(dir, 'app.css');
    const old = await get(url('app.css'));
    const { size, mtimeNs } = statSync(css, { bigint: true });
    const swapped = `/*${' '.repeat(Number(size) - 4)}*/`;
    writeFileSync(`${css}.tmp`, swapped);
    await run('touch', ['-r', css, `${css}.tmp`]); // the mtime to the nanosecond, as utimes cannot
    renameSync(`${css}.tmp`, css);
    assert.equal(statSync(css, { bigint: true }).mtimeNs, mtimeNs);
    const renamed = await get(url('app.css'));
    assert.equal(renamed.body, swapped);
    assert.notEqual(renamed.headers.get('etag'), old.headers.get('etag'));

    assert.equal((await get(url('new.js'))).status, 404);
    writeFileSync(join(dir, 'new.js'), 'console.log("new");\n');
    const added = await get(url('new.js'));
    assert.equal(added.status, 200);
    assert.equal(added.body, 'console.log("new");\n');
    assert.match(added.headers.get('content-type') ?? '', /^text\/javascript/);
    rmSync(join(dir, 'new.js'));
    const removed = await get(url('new.js'));
    assert.equal(removed.status, 404);
    assert.deepEqual(removed.body, { error: 'no such file' });
    await stopApp(app);
  });

  it('with STATIC_DIR, serves only plain file names directly in it: no dot segment, hidden file, directory or FIFO', async () => {
    const { root, dir } = staticCopy();
    writeFileSync(join(root, 'secret.txt'), 'secret, outside STATIC_DIR\n');
    writeFileSync(join(dir, '.env'), 'secret=hidden\n');
    mkdirSync(join(dir, 'sub'));
    writeFileSync(join(dir, 'sub', 'deep.css'), 'secret {}\n');
    await run('mkfifo', [join(dir, 'pipe.css')]); // opening it to read would wait for a writer
    const app = await startApp('web-static-3', { STATIC_DIR: dir });
    for (const path of [
      '/static/..',
      '/static/.',
      '/static/.env',
      '/static/sub',
      '/static/sub/deep.css',
      '/static/..%2Fsecret.txt',
      '/static/%2e%2e%2fsecret.txt',
      '/static/pipe.css',
    ]) {
      const reply = await rawGet(urlOf(app), path);
      assert.equal(reply.status, 404, path);
      assert.doesNotMatch(reply.body, /secret/, path);
    }
    assert.equal((await rawGet(urlOf(app), '/static/logo.svg')).status, 200, 'a plain name is served');
    await stopApp(app);
  });

  it('refuses a STATIC_DIR that is not a directory: exit 2, one line on stderr saying what is wrong and the fix', async () => {
    const { root } = staticCopy();
    const file = join(root, 'static', 'app.css');
    const [port] = (await freePorts(1)) as [number];
    for (const [value, problem] of [
      [join(root, 'missing'), 'no such file or directory'],
      [file, 'not a directory'],
    ] as const) {
      const refused = await run(PYTHON, [APP], {
        env: contract('web-bad', port, { STATIC_DIR: value }),
      }).then(
        () => assert.fail(`pyshop started with STATIC_DIR=${value}`),
        (err: { code?: number; stderr?: string }) => err,
      );
      assert.equal(refused.code, 2, value);
      assert.equal(
        refused.stderr,
        `pyshop: STATIC_DIR must name a directory holding the static files, got '${value}' (${problem}); ` +
          "create it and copy the files in, or unset STATIC_DIR to serve the app's own static/\n",
      );
    }
  });

  it('places each key on the same cache node from every instance: it hashes node names, not addresses', async () => {
    // web-2 reaches the cache nodes through proxies of its own (other ports), as in a topology.
    const proxied = await Promise.all(
      caches.map((c, i) =>
        api.createProxy({
          name: `web-2->${CACHES[i]}`,
          listen: '127.0.0.1:0',
          upstream: `127.0.0.1:${c.ports.redis}`,
        }),
      ),
    );
    const urls = proxied.map((p) => `redis://${p.listen}`).join(',');
    const web2 = urlOf(await startApp('web-2', { CACHE_REDIS_URLS: urls }));
    const owners = async (base: string) => {
      const names: string[] = [];
      for (let id = 100; id < 140; id++)
        names.push((await get(`${base}/products/${id}`)).headers.get('x-cache-node') ?? '');
      return names;
    };
    const fromWeb1 = await owners(web1);
    assert.deepEqual(await owners(web2), fromWeb1);
    assert.deepEqual([...new Set(fromWeb1)].sort(), CACHES, 'both nodes hold keys');
    const hits = await Promise.all([100, 101, 102].map((id) => get(`${web2}/products/${id}`)));
    assert.deepEqual(
      hits.map((h) => h.headers.get('x-cache')),
      ['hit', 'hit', 'hit'],
      "web-2 finds what web-1's reads cached",
    );
  });

  it('sessions without SESSION_REDIS_URL live in the instance: unknown to another one, gone after a restart (401)', async () => {
    const one = await startApp('web-m1');
    const two = await startApp('web-m2');
    const shopper = new Shopper();
    const login = await shopper.post(`${urlOf(one)}/login`, { user: 'ada' });
    assert.equal(login.status, 200);
    assert.deepEqual(login.body, { user: 'ada' });
    const cookie = login.headers.getSetCookie().find((c) => c.startsWith('shop.sid=')) ?? '';
    assert.match(cookie, /HttpOnly/i, "the cookie cart-journey looks for is 'shop.sid'");
    assert.deepEqual((await shopper.get(`${urlOf(one)}/cart`)).body, { user: 'ada', items: [] });
    await shopper.post(`${urlOf(one)}/cart/items`, { sku: 'A-1', qty: 2 });
    const added = await shopper.post(`${urlOf(one)}/cart/items`, { sku: 'A-1', qty: 1 });
    assert.deepEqual(added.body, { items: [{ sku: 'A-1', qty: 3 }] });

    const elsewhere = await shopper.get(`${urlOf(two)}/cart`);
    assert.equal(elsewhere.status, 401);
    assert.deepEqual(elsewhere.body, { error: 'no session' });
    await stopApp(one);
    await one.start();
    const restarted = await shopper.post(`${urlOf(one)}/cart/items`, { sku: 'B-7', qty: 1 });
    assert.equal(restarted.status, 401);
    assert.deepEqual(restarted.body, { error: 'no session' });
    assert.equal((await get(`${urlOf(one)}/cart`)).status, 401, 'no cookie, no session');
  });

  it('sessions with SESSION_REDIS_URL survive a restart of their instance, and any instance serves them', async () => {
    const store = { SESSION_REDIS_URL: redisUrl(sessions.ports.redis as number) };
    const one = await startApp('web-r1', store);
    const two = await startApp('web-r2', store);
    const shopper = new Shopper();
    await shopper.post(`${urlOf(one)}/login`, { user: 'grace' });
    await shopper.post(`${urlOf(one)}/cart/items`, { sku: 'C-3', qty: 4 });
    await stopApp(one);
    await one.start();
    const cart = { user: 'grace', items: [{ sku: 'C-3', qty: 4 }] };
    assert.deepEqual((await shopper.get(`${urlOf(one)}/cart`)).body, cart);
    assert.deepEqual((await shopper.get(`${urlOf(two)}/cart`)).body, cart);
  });

  it('session routes answer 503 while the session store is down (products still served), and reconnect once it is back', async () => {
    const app = await startApp('web-r3', { SESSION_REDIS_URL: redisUrl(sessions.ports.redis as number) });
    const shopper = new Shopper();
    assert.equal((await shopper.post(`${urlOf(app)}/login`, { user: 'lin' })).status, 200);
    await sessions.kill('SIGKILL');
    const down = await shopper.get(`${urlOf(app)}/cart`);
    assert.equal(down.status, 503);
    assert.match(String((down.body as { error: string }).error), /^session store unavailable/);
    assert.ok(down.ms < 1000, `503 after ${down.ms.toFixed(0)} ms`);
    assert.equal((await post(`${urlOf(app)}/login`, { user: 'kim' })).status, 503);
    assert.equal((await get(`${urlOf(app)}/products/3`)).status, 200, 'product reads never touch sessions');
    await sessions.start(); // empty: the store keeps nothing across restarts
    assert.equal((await shopper.get(`${urlOf(app)}/cart`)).status, 401, 'back, but the session is gone');
    assert.equal((await shopper.post(`${urlOf(app)}/login`, { user: 'lin' })).status, 200);
    assert.equal((await shopper.get(`${urlOf(app)}/cart`)).status, 200);
  });

  it('a killed cache node turns its keys into X-Cache: error, still 200 from the database; once back it caches again', async () => {
    const owners = new Map<string, number>();
    for (let id = 200; owners.size < 2 && id < 260; id++) {
      const node = (await get(`${web1}/products/${id}`)).headers.get('x-cache-node') ?? '';
      if (!owners.has(node)) owners.set(node, id);
    }
    const [lost, kept] = [owners.get('cache-1') as number, owners.get('cache-2') as number];
    const cache1 = caches[0] as LocalService;
    await cache1.kill('SIGKILL');
    const read = await get(`${web1}/products/${lost}`);
    assert.equal(read.status, 200);
    assert.equal(read.headers.get('x-cache'), 'error');
    assert.equal(read.headers.get('x-cache-node'), 'cache-1');
    assert.ok(REPLICAS.includes(read.headers.get('x-read-from') ?? ''), 'answered from the database');
    assert.ok(read.ms < 500, `${read.ms.toFixed(0)} ms: a refused connection costs no timeout`);
    assert.equal(
      (await get(`${web1}/products/${kept}`)).headers.get('x-cache'),
      'hit',
      'cache-2 still serves',
    );

    await cache1.start(); // empty, as after a real restart
    assert.equal((await get(`${web1}/products/${lost}`)).headers.get('x-cache'), 'miss');
    assert.equal((await get(`${web1}/products/${lost}`)).headers.get('x-cache'), 'hit');
  });

  it('a frozen cache link costs one Redis timeout (about 250 ms), then the node is skipped until it thaws', async () => {
    const links = await Promise.all(
      caches.map((c, i) =>
        api.createProxy({
          name: `web-5->${CACHES[i]}`,
          listen: '127.0.0.1:0',
          upstream: `127.0.0.1:${c.ports.redis}`,
        }),
      ),
    );
    const app = await startApp('web-5', {
      CACHE_REDIS_URLS: links.map((l) => `redis://${l.listen}`).join(','),
    });
    const ids: number[] = [];
    for (let id = 300; ids.length < 3 && id < 400; id++) {
      if ((await get(`${urlOf(app)}/products/${id}`)).headers.get('x-cache-node') === 'cache-1') ids.push(id);
    }
    const freeze = await (links[0] as ApiProxy).addToxic({
      name: 'freeze',
      type: 'timeout',
      stream: 'downstream',
      toxicity: 1,
      attributes: { timeout: 0 },
    });
    const reads: Reply[] = [];
    for (const id of ids) reads.push(await get(`${urlOf(app)}/products/${id}`));
    assert.deepEqual(
      reads.map((r) => `${r.status} ${r.headers.get('x-cache')}`),
      ['200 error', '200 error', '200 error'],
    );
    const [first, ...rest] = reads.map((r) => r.ms);
    assert.ok((first as number) >= 200 && (first as number) < 600, `first read ${first?.toFixed(0)} ms`);
    assert.ok(
      rest.every((ms) => ms < 100),
      `then skipped: ${rest.map((ms) => ms.toFixed(0)).join(' ')} ms`,
    );

    await freeze.remove();
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const thawed = await get(`${urlOf(app)}/products/${ids[0]}`);
    assert.equal(thawed.headers.get('x-cache'), 'hit', 'the node serves again after the skip');
    await stopApp(app);
  });

  it('a frozen replica link costs one timeout (about 1 s), then the replica is skipped until it thaws', async () => {
    const link: ApiProxy = await api.createProxy({
      name: 'web-3->pg-replica-1',
      listen: '127.0.0.1:0',
      upstream: `127.0.0.1:${replicas[0]?.port}`,
    });
    const app = await startApp('web-3', {
      DATABASE_REPLICA_URLS: [
        `postgres://postgres@${link.listen}/postgres`,
        pgUrl(replicas[1]?.port as number),
      ].join(','),
      CACHE_REDIS_URLS: '',
      CACHE_REDIS_NAMES: '',
    });
    for (let id = 1; id <= 2; id++) await get(`${urlOf(app)}/products/${id}`); // a pooled connection to each
    // timeout 0: connections stay open but nothing comes back, like a frozen server.
    const freeze = await link.addToxic({
      name: 'freeze',
      type: 'timeout',
      stream: 'downstream',
      toxicity: 1,
      attributes: { timeout: 0 },
    });
    const reads: Reply[] = [];
    for (let id = 1; id <= 6; id++) reads.push(await get(`${urlOf(app)}/products/${id}`));
    assert.deepEqual(
      reads.map((r) => r.status),
      [200, 200, 200, 200, 200, 200],
    );
    const slow = reads.filter((r) => r.ms > 500);
    assert.equal(
      slow.length,
      1,
      `one read waits for the timeout: ${reads.map((r) => r.ms.toFixed(0)).join(' ')} ms`,
    );
    assert.ok((slow[0] as Reply).ms < 1500, `${(slow[0] as Reply).ms.toFixed(0)} ms`);
    assert.equal(slow[0]?.headers.get('x-read-from'), 'pg-primary');
    assert.equal(slow[0]?.headers.get('x-db-fallback'), 'error:pg-replica-1');
    assert.ok(reads.every((r) => r.headers.get('x-read-from') !== 'pg-replica-1'));

    await freeze.remove();
    await new Promise((resolve) => setTimeout(resolve, 1100)); // past the 1 s skip: a trial call is due
    const thawed: string[] = [];
    for (let id = 1; id <= 4; id++)
      thawed.push((await get(`${urlOf(app)}/products/${id}`)).headers.get('x-read-from') ?? '');
    assert.ok(thawed.includes('pg-replica-1'), `back in the rotation: ${thawed.join(' ')}`);
    await stopApp(app);
  });

  it('a killed replica makes its reads fall back to the primary (X-Read-From: pg-primary), never an error', async () => {
    const app = await startApp('web-4', { CACHE_REDIS_URLS: '', CACHE_REDIS_NAMES: '' });
    for (let id = 1; id <= 4; id++) await get(`${urlOf(app)}/products/${id}`); // pooled connections to both
    await replicas[0]?.service.kill('SIGKILL');
    const seen: string[] = [];
    for (let id = 1; id <= 6; id++) {
      const r = await get(`${urlOf(app)}/products/${id}`);
      assert.equal(r.status, 200);
      seen.push(`${r.headers.get('x-read-from')} ${r.headers.get('x-db-fallback') ?? '-'}`);
    }
    assert.ok(seen.includes('pg-primary error:pg-replica-1'), seen.join(', '));
    assert.ok(seen.includes('pg-replica-2 -'), seen.join(', '));
    assert.ok(!seen.some((s) => s.startsWith('pg-replica-1')), seen.join(', '));

    await replicas[1]?.service.kill('SIGKILL');
    const alone = await get(`${urlOf(app)}/products/7`);
    assert.equal(alone.status, 200);
    assert.equal(alone.headers.get('x-read-from'), 'pg-primary', 'no replica left: the primary reads');
  });

  it('after the primary restarts, the first write succeeds: pooled connections the old server closed are dropped', async () => {
    const writes = await Promise.all([1, 2, 3].map((id) => post(`${web1}/products/${id + 20}`)));
    assert.deepEqual(
      writes.map((w) => w.status),
      [200, 200, 200],
      'three pooled connections to the primary',
    );
    await primary.service.restart();
    const first = await post(`${web1}/products/21`);
    assert.equal(first.status, 200, JSON.stringify(first.body));
    assert.deepEqual(first.body, { id: 21, version: 3 });
  });
});
