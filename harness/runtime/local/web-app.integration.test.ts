/**
 * The user's own app as the web tier on the local runtime: a command that gets the contract's
 * environment and is served through the load balancer; and every way its start can fail, each one
 * line, with nothing left running.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { writeEchoApp } from '../../../test/helpers/echo-app.ts';
import { leftovers, ownSessionRoot } from '../../../test/helpers/leftovers.ts';
import type { AppSpecInput } from '../../components/web-app.ts';
import { FaultlineError } from '../../core/errors.ts';
import { composeFor } from '../../target/start-target.ts';
import { type LocalTopology, startLocalTopology } from './local-topology.ts';

const TOPOLOGY = { web: 2, cache: 1, replicas: 1, healthCheck: { intervalMs: 200, fall: 2, rise: 1 } };

describe('local runtime: the user’s own app as the web tier', function () {
  this.timeout(60_000);
  const sessionRoot = ownSessionRoot('faultline-app-');
  let appDir: string;
  before(() => {
    appDir = mkdtempSync(join(tmpdir(), 'faultline-app-src-'));
    writeEchoApp(appDir);
    writeFileSync(join(appDir, 'schema.sql'), 'CREATE TABLE IF NOT EXISTS notes (id int PRIMARY KEY);\n');
    writeFileSync(join(appDir, 'broken.sql'), 'CREATE TABLE notes (id int PRIMARY KEY;\n');
  });
  after(() => rmSync(appDir, { recursive: true, force: true }));

  const start = async (app: AppSpecInput, options: Record<string, unknown> = TOPOLOGY) =>
    startLocalTopology(await composeFor(options, { app: { cwd: appDir, ...app } }));

  /** The start fails with one line and exit code `exitCode`; nothing of the session is left. */
  async function failsCleanly(app: AppSpecInput, exitCode: number, pattern: RegExp): Promise<void> {
    const err = await start(app).then(
      async (topology) => {
        await topology.stop();
        assert.fail('the topology started');
      },
      (e: unknown) => e,
    );
    assert.ok(err instanceof FaultlineError, `a FaultlineError, got ${err}`);
    assert.equal(err.exitCode, exitCode, err.oneLine());
    assert.match(err.oneLine(), pattern);
    assert.ok(!err.oneLine().includes('\n'), 'one line');
    let left = leftovers([], sessionRoot());
    for (let i = 0; left.length && i < 30; i++) {
      await sleep(100);
      left = leftovers([], sessionRoot());
    }
    assert.deepEqual(left, [], 'no process of the session is left');
    const sessions = join(sessionRoot(), 'sessions');
    assert.deepEqual(readdirSync(sessions).length ? readdirSync(sessions) : [], [], 'no session is left');
  }

  it('runs the command once per instance, with the contract’s environment, behind the LB', async () => {
    await using topology: LocalTopology = await start({
      command: ['python3', 'app.py'],
      schema: 'schema.sql',
    });
    const env = (await (await fetch(`${topology.endpoints.lb}/env`)).json()) as Record<string, string>;
    const me = env.FAULTLINE_INSTANCE as string;
    assert.match(me, /^web-[12]$/);
    const port = (link: string) => `${topology.proxy(link).listen.split(':').at(-1)}`;
    assert.equal(env.PORT, `${topology.service(me).ports.http}`);
    assert.equal(env.DATABASE_URL, `postgres://postgres@127.0.0.1:${port(`${me}->pg-primary`)}/postgres`);
    assert.equal(env.DATABASE_REPLICA_NAMES, 'pg-replica-1');
    assert.equal(env.CACHE_REDIS_URLS, `redis://127.0.0.1:${port(`${me}->cache-1`)}`);
    assert.equal(env.SESSION_REDIS_URL, `redis://127.0.0.1:${port(`${me}->sessions`)}`);
    const servedBy = new Set<string>();
    for (let i = 0; i < 6; i++)
      servedBy.add((await fetch(`${topology.endpoints.lb}/`)).headers.get('x-served-by') ?? '');
    assert.deepEqual([...servedBy].sort(), ['web-1', 'web-2'], 'the LB spreads over both instances');
  });

  it('a command that is not found: exit 2 before anything starts', async () => {
    await failsCleanly(
      { command: ['no-such-app-binary', 'serve'] },
      2,
      /the app's command "no-such-app-binary" is not found on PATH/,
    );
    await failsCleanly(
      { command: ['./missing.sh'] },
      2,
      /"\.\/missing\.sh" is not found \(from .*faultline-app-src-/,
    );
  });

  it('an instance that exits during its start: its name and last log line, everything stopped', async () => {
    await failsCleanly(
      { command: ['sh', '-c', 'echo "cannot open config.yml" >&2; exit 3'] },
      3,
      /^web-\d failed to start: it exited during start — last log lines: .*cannot open config\.yml/,
    );
  });

  it('an instance that never turns healthy within its start timeout, everything stopped', async () => {
    await failsCleanly(
      { command: ['python3', 'app.py'], healthPath: '/not-here-404', startTimeout: '1500ms' },
      3,
      /^web-\d failed to start: not ready within 1500 ms — last log lines: .*echo app ready/,
    );
  });

  it('a schema that fails names its file and PostgreSQL’s error, everything stopped', async () => {
    await failsCleanly(
      { command: ['python3', 'app.py'], schema: 'broken.sql' },
      2,
      /broken\.sql: syntax error at or near ";" \(at character \d+\)/,
    );
  });
});
