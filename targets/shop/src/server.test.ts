/**
 * The real entry point as the harness runs it: a child process with the contract's environment, the readiness
 * line on stdout, a clean exit on SIGTERM, and exit 2 with one stderr line for a bad config.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { bundleShop } from '../bundle.ts';

const ENTRY = fileURLToPath(new URL('./server.ts', import.meta.url));

/** The least the contract gives an instance: a name, a port (0: any free one) and the primary. */
const instance = (name: string) => ({
  FAULTLINE_INSTANCE: name,
  PORT: '0',
  HOST: '127.0.0.1',
  DATABASE_URL: 'postgres://postgres@127.0.0.1:1/postgres',
});

/** Starts the shop from its sources through tsx, or as given (e.g. the container bundle). */
function start(
  contract: Record<string, string>,
  args = ['--import', 'tsx', ENTRY],
): { child: ChildProcess; stdout: string[]; stderr: string[] } {
  const child = spawn(process.execPath, args, {
    env: { ...process.env, ...contract },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stdout: string[] = [];
  const stderr: string[] = [];
  child.stdout?.setEncoding('utf8').on('data', (d: string) => stdout.push(d));
  child.stderr?.setEncoding('utf8').on('data', (d: string) => stderr.push(d));
  return { child, stdout, stderr };
}

async function readyLine(child: ChildProcess, stdout: string[]): Promise<string> {
  const deadline = Date.now() + 10_000;
  while (!stdout.join('').includes('\n')) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error('no readiness line');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return stdout.join('');
}

describe('shop server process', function () {
  this.timeout(20_000);
  const children: ChildProcess[] = [];
  after(() => {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  });

  it('prints its readiness line, serves, and exits 0 on SIGTERM', async () => {
    const { child, stdout, stderr } = start(instance('web-9'));
    children.push(child);
    const line = await readyLine(child, stdout);
    const match = /^shop web-9 listening on (http:\/\/127\.0\.0\.1:(\d+))\n$/.exec(line);
    assert.ok(match, `readiness line: ${JSON.stringify(line)}`);
    const health = await fetch(`${match[1]}/healthz`);
    assert.equal(health.status, 200);
    assert.equal(health.headers.get('x-served-by'), 'web-9');
    const exited = once(child, 'exit');
    const started = performance.now();
    child.kill('SIGTERM');
    const [code] = await exited;
    assert.equal(code, 0, stderr.join(''));
    assert.ok(performance.now() - started < 2000, 'shuts down promptly');
    assert.match(stderr.join(''), /shop web-9: stopped \(SIGTERM\)/);
  });

  it('the bundle the docker runtime runs is plain JavaScript: it serves under node alone, without tsx', async () => {
    const bundle = await bundleShop();
    assert.match(bundle, /^targets\/shop\/dist\/server-[0-9a-f]{16}\.mjs$/);
    assert.equal(await bundleShop(), bundle, 'the same sources give the same file');
    const { child, stdout, stderr } = start(instance('web-8'), [
      fileURLToPath(new URL(`../../../${bundle}`, import.meta.url)),
    ]);
    children.push(child);
    const line = await readyLine(child, stdout).catch((err: Error) => {
      throw new Error(`${err.message}: ${stderr.join('')}`);
    });
    const url = (/listening on (\S+)/.exec(line) as RegExpExecArray)[1];
    assert.equal((await fetch(`${url}/healthz`)).status, 200);
    const asset = await fetch(`${url}/static/app.css`);
    assert.equal(asset.status, 200, 'static files resolve from the bundle as from the sources');
    child.kill('SIGTERM');
    assert.equal((await once(child, 'exit'))[0], 0, stderr.join(''));
  });

  it('exits 2 with one line on stderr naming every bad contract variable', async () => {
    const { child, stdout, stderr } = start({
      FAULTLINE_INSTANCE: 'web-7',
      PORT: 'eighty',
      DATABASE_URL: 'mysql://db:3306',
      SESSION_REDIS_URL: 'nope',
    });
    children.push(child);
    const [code] = await once(child, 'exit');
    assert.equal(code, 2);
    assert.equal(stdout.join(''), '');
    const text = stderr.join('');
    assert.equal(text.trim().split('\n').length, 1, text);
    assert.match(
      text,
      /^shop: invalid shop config: DATABASE_URL: must be a postgres:\/\/ URL.*; SESSION_REDIS_URL: is not a URL/,
    );
  });

  it('exits 2 when FAULTLINE_SHOP_OPTIONS is not JSON', async () => {
    const { child, stderr } = start({ ...instance('web-6'), FAULTLINE_SHOP_OPTIONS: '{oops' });
    children.push(child);
    const [code] = await once(child, 'exit');
    assert.equal(code, 2);
    assert.match(stderr.join(''), /FAULTLINE_SHOP_OPTIONS: is not valid JSON/);
  });
});
