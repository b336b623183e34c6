/**
 * One topology service as a container (testcontainers), behind the same handle as a local process:
 * kill with a signal, pause (cgroup freezer), restart on the same host ports and data, logs.
 */
import type Dockerode from 'dockerode';
import { FaultlineError } from '../../core/errors.ts';
import { serviceAnswers } from '../answers.ts';
import type { KillOutcome, KillSignal, ServiceHandle } from '../service.ts';

const STOP_GRACE_S = 5;
const RESTART_TIMEOUT_MS = 60_000;

export class DockerService implements ServiceHandle {
  private alive = true;
  private readonly container: Dockerode.Container;

  constructor(
    readonly name: string,
    readonly id: string,
    docker: Dockerode,
    readonly host: string,
    /** Host ports by role (postgres, redis, http, api, stats), bound on start and kept across restarts. */
    readonly ports: Readonly<Record<string, number>>,
  ) {
    this.container = docker.getContainer(id);
  }

  get running(): boolean {
    return this.alive;
  }

  async kill(signal: KillSignal = 'SIGKILL'): Promise<KillOutcome> {
    const asked = Date.now();
    if (!this.alive) return { exitedAt: asked };
    await this.container.kill({ signal }).catch(ignoreNotRunning);
    await this.container.wait();
    this.alive = false;
    // The engine answers ~100 ms after the process died; its record of the exit is the truth,
    // bounded by our own clock (a remote engine's may differ).
    const finished = Date.parse((await this.container.inspect()).State.FinishedAt);
    const now = Date.now();
    return { exitedAt: Number.isFinite(finished) ? Math.min(Math.max(finished, asked), now) : now };
  }

  async pause(): Promise<void> {
    await this.container.pause();
  }

  /** Thaws it if frozen; harmless otherwise (like SIGCONT to a running process). */
  async resume(): Promise<void> {
    if ((await this.state()) === 'paused') await this.container.unpause();
  }

  /**
   * Starts the same container again (its filesystem, so its data, is kept; its host ports are bound
   * to the same numbers) and waits until it answers its protocol from the harness's side.
   */
  async restart(): Promise<void> {
    const { State } = await this.container.inspect();
    if (State.Running) await this.container.restart({ t: 0 });
    else await this.container.start();
    this.alive = true;
    const deadline = Date.now() + RESTART_TIMEOUT_MS;
    while (!(await serviceAnswers(this))) {
      if (Date.now() > deadline) {
        throw new FaultlineError(
          'service.restart',
          `${this.name} did not answer within ${RESTART_TIMEOUT_MS / 1000} s of its restart`,
          `see its logs: docker logs ${this.id}`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  async stop(): Promise<void> {
    if (!this.alive) return;
    await this.container.stop({ t: STOP_GRACE_S }).catch(ignoreNotRunning);
    this.alive = false;
  }

  async *logs(): AsyncIterable<string> {
    for (const line of (await recentLog(this.container, 200)).split('\n')) if (line) yield line;
  }

  /** Unpacks a tar archive into the container's filesystem (running or not), as `docker cp` would. */
  async putArchive(dir: string, tar: Buffer): Promise<void> {
    await this.container.putArchive(tar, { path: dir });
  }

  /** The engine's view: paused, running, exited... */
  async state(): Promise<string> {
    const { State } = await this.container.inspect();
    return State.Paused ? 'paused' : State.Status;
  }
}

/** The last `tail` lines a container wrote (stdout and stderr, in order), as text. */
export async function recentLog(container: Dockerode.Container, tail: number): Promise<string> {
  const raw = await container.logs({ stdout: true, stderr: true, tail, follow: false });
  return demux(raw as unknown as Buffer);
}

/** Docker's log stream without a TTY: frames of [stream, 0, 0, 0, size (4 bytes BE), payload]. */
export function demux(raw: Buffer): string {
  const parts: Buffer[] = [];
  let offset = 0;
  while (offset + 8 <= raw.length) {
    const size = raw.readUInt32BE(offset + 4);
    parts.push(raw.subarray(offset + 8, offset + 8 + size));
    offset += 8 + size;
  }
  return Buffer.concat(parts).toString('utf8');
}

function ignoreNotRunning(err: { statusCode?: number }): void {
  // 409: not running (already dead) or 304: already stopped; both mean the goal is met
  if (err.statusCode !== 409 && err.statusCode !== 304) throw err;
}
