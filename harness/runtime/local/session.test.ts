import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { LocalService } from './local-service.ts';
import { LocalSession, reapLeftovers } from './session.ts';

/** True while a process with this pid exists (signal 0 probes without touching it). */
function exists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function until(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (condition()) return true;
    await sleep(25);
  }
  return condition();
}

function sleeper(session: LocalSession, name = 'sleeper'): LocalService {
  return new LocalService(
    { name, command: 'sleep', args: ['300'], ports: {}, ready: async () => {} },
    session,
  );
}

/** Starts test/fixtures/hold-session.ts as a separate "harness" and returns what it started. */
async function holdSession(root: string) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/fixtures/hold-session.ts', root], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const [line] = (await once(child.stdout, 'data')) as [Buffer];
  return { child, ...(JSON.parse(line.toString()) as { dir: string; pid: number }) };
}

describe('local session: nothing outlives the harness', () => {
  let root: string;
  const opened: LocalSession[] = [];
  const open = () => {
    const session = LocalSession.open(root);
    opened.push(session);
    return session;
  };
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'faultline-session-test-'));
  });
  afterEach(() => {
    for (const session of opened.splice(0)) session.close();
    reapLeftovers(root);
    rmSync(root, { recursive: true, force: true });
  });

  it('close() kills every started process group and removes the session directory', async () => {
    const session = open();
    const service = sleeper(session);
    await service.start();
    const pid = service.pid as number;
    assert.ok(exists(pid));
    session.close();
    assert.ok(await until(() => !exists(pid), 2000), 'the service process is gone');
    assert.equal(existsSync(session.dir), false);
  });

  it('kill -9 of the harness: the watchdog kills its services and removes its files promptly', async () => {
    const held = await holdSession(root);
    assert.ok(exists(held.pid));
    held.child.kill('SIGKILL');
    assert.ok(
      await until(() => !exists(held.pid) && !existsSync(held.dir), 3000),
      'reaped by the watchdog (tolerance 3 s)',
    );
  });

  it('the next session reaps leftovers of a dead harness even when its watchdog died too', async () => {
    const held = await holdSession(root);
    for (const pid of processesWhoseCommandHas(held.dir)) process.kill(pid, 'SIGKILL'); // the watchdog
    held.child.kill('SIGKILL');
    await once(held.child, 'exit');
    assert.ok(exists(held.pid), 'without a watchdog the service outlives its harness');
    assert.equal(reapLeftovers(root), 1);
    assert.ok(await until(() => !exists(held.pid), 2000));
    assert.equal(existsSync(held.dir), false);
  });

  it('leaves the sessions of a living harness alone', async () => {
    const session = open();
    const service = sleeper(session);
    await service.start();
    assert.equal(reapLeftovers(root), 0);
    assert.ok(exists(service.pid as number));
    session.close();
  });

  it('pause, resume and kill act on the whole process group', async () => {
    const session = open();
    const service = sleeper(session);
    await service.start();
    const pid = service.pid as number;
    await service.pause();
    assert.ok(await until(() => stateOf(pid) === 'T', 1000), 'stopped (SIGSTOP)');
    await service.resume();
    assert.ok(await until(() => stateOf(pid) === 'S', 1000), 'sleeping again (SIGCONT)');
    const asked = Date.now();
    const { exitedAt } = await service.kill();
    assert.equal(service.running, false);
    assert.ok(exitedAt >= asked && exitedAt <= Date.now(), 'kill says when the process exited');
    session.close();
  });

  it('a service that dies during start fails with its name and last log lines', async () => {
    const session = open();
    const broken = new LocalService(
      {
        name: 'broken',
        command: 'sh',
        args: ['-c', 'echo "config error on line 3" >&2; exit 1'],
        ports: {},
        ready: () => new Promise(() => {}),
      },
      session,
    );
    await assert.rejects(
      broken.start(),
      /broken failed to start: it exited during start.*config error on line 3/,
    );
    session.close();
  });
});

function processesWhoseCommandHas(text: string): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(text);
      } catch {
        return false;
      }
    })
    .map(Number);
}

function stateOf(pid: number): string {
  return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0] ?? '';
}
