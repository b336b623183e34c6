/**
 * A service run as a local child process in its own process group, so signals reach all of its
 * processes (PostgreSQL backends, Varnish's child) and nothing is left behind.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { FaultlineError } from '../../core/errors.ts';
import type { KillOutcome, KillSignal, ServiceHandle } from '../service.ts';
import { LogBuffer } from './log-buffer.ts';
import { signalGroup, signalTree } from './process-identity.ts';
import type { LocalSession } from './session.ts';

export interface ProcessSpec {
  name: string;
  command: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Run as this user (PostgreSQL refuses root). */
  uid?: number;
  gid?: number;
  ports: Record<string, number>;
  /** Resolves when the service really serves (probe), rejects if it cannot; called after each start. */
  ready(service: LocalService, signal: AbortSignal): Promise<void>;
  /** Signal for a graceful stop (PostgreSQL: SIGINT = fast shutdown). */
  stopSignal?: NodeJS.Signals;
  readyTimeoutMs?: number;
}

const STOP_GRACE_MS = 3000;

export class ServiceStartError extends FaultlineError {
  constructor(name: string, reason: string, logTail: string[]) {
    const tail = logTail.length ? ` — last log lines: ${logTail.join(' | ')}` : '';
    super(
      'service.start',
      `${name} failed to start: ${reason}${tail}`,
      `see ${name}'s log above; faultline doctor checks the setup`,
    );
  }
}

export class LocalService implements ServiceHandle {
  readonly host = '127.0.0.1';
  readonly log = new LogBuffer();
  private child: ChildProcess | undefined;
  private exited: Promise<void> = Promise.resolve();
  /** Date.now() when the last process exited. */
  private exitedAt = 0;

  constructor(
    private readonly spec: ProcessSpec,
    private readonly session: LocalSession,
  ) {}

  get name(): string {
    return this.spec.name;
  }

  get ports(): Readonly<Record<string, number>> {
    return this.spec.ports;
  }

  get running(): boolean {
    return this.child !== undefined;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  async start(): Promise<void> {
    const { spec } = this;
    const child = spawn(spec.command, spec.args, {
      cwd: spec.cwd,
      env: spec.env ?? process.env,
      uid: spec.uid,
      gid: spec.gid,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    child.stdout?.on('data', (d) => this.log.write(d));
    child.stderr?.on('data', (d) => this.log.write(d));
    const spawned = once(child, 'spawn').then(
      () => true,
      () => false,
    );
    child.once('exit', () => {
      this.exitedAt = Date.now();
    });
    this.exited = new Promise((resolve) => {
      child.once('close', (code, signal) => {
        this.log.push(`[faultline] ${spec.name} exited (${signal ?? `code ${code}`})`);
        if (this.child === child) this.child = undefined;
        if (child.pid) this.session.untrack(child.pid);
        resolve();
      });
    });
    child.once('error', (err) => this.log.push(`[faultline] ${err.message}`));
    if (!(await spawned) || child.pid === undefined) {
      throw new ServiceStartError(spec.name, `cannot run ${spec.command}`, this.log.tail());
    }
    this.session.track(spec.name, child.pid);
    await this.waitReady(child);
  }

  private async waitReady(child: ChildProcess): Promise<void> {
    const timeoutMs = this.spec.readyTimeoutMs ?? 30_000;
    const abort = new AbortController();
    const died = this.exited.then(() => {
      throw new Error('it exited during start');
    });
    const timer = setTimeout(() => abort.abort(), timeoutMs);
    try {
      await Promise.race([this.spec.ready(this, abort.signal), died]);
    } catch (err) {
      abort.abort();
      const reason =
        abort.signal.aborted && child.exitCode === null
          ? `not ready within ${timeoutMs} ms`
          : (err as Error).message;
      await this.kill('SIGKILL');
      throw new ServiceStartError(this.spec.name, reason, this.log.tail());
    } finally {
      clearTimeout(timer);
      abort.abort();
      died.catch(() => undefined);
    }
  }

  async kill(signal: KillSignal = 'SIGKILL'): Promise<KillOutcome> {
    const child = this.child;
    if (!child?.pid) return { exitedAt: this.exitedAt };
    signalTree(child.pid, 'SIGCONT'); // a paused service would never act on SIGTERM
    signalTree(child.pid, signal);
    await this.exited;
    // The leader is gone; make sure no member of its group (a forked worker) outlives it.
    signalGroup(child.pid, 'SIGKILL');
    return { exitedAt: this.exitedAt };
  }

  async pause(): Promise<void> {
    if (this.child?.pid) signalTree(this.child.pid, 'SIGSTOP');
  }

  async resume(): Promise<void> {
    if (this.child?.pid) signalTree(this.child.pid, 'SIGCONT');
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child?.pid) return;
    signalTree(child.pid, 'SIGCONT');
    // Only the leader gets the stop signal: it shuts its own workers down in order.
    signalGroup(child.pid, this.spec.stopSignal ?? 'SIGTERM');
    const timer = setTimeout(() => signalTree(child.pid as number, 'SIGKILL'), STOP_GRACE_MS);
    await this.exited;
    clearTimeout(timer);
    signalGroup(child.pid, 'SIGKILL');
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }

  logs(): AsyncIterable<string> {
    return this.log;
  }
}
