/**
 * The line that best says why a container stopped while starting: the last one that reads like an
 * error, else the last one. testcontainers removes a container that never got ready, so this line is
 * all that is left to tell the user (e.g. "exec: varnishd: not found").
 */
import type { Readable } from 'node:stream';
import type Dockerode from 'dockerode';
import { recentLog } from './docker-service.ts';

const KEPT = 20;
const ERROR_LINE = /\b(?:error|fatal|panic|failed|not found|denied|cannot|invalid)\b/i;

export class LastLogLine {
  private readonly lines: string[] = [];
  private stream: Readable | undefined;

  /** A testcontainers log consumer: reads the container's output as it comes. */
  readonly follow = (stream: Readable): void => {
    this.stream = stream;
    stream.on('data', (chunk: unknown) => this.add(String(chunk)));
    stream.on('error', () => undefined); // the container went away: what we have is what there is
  };

  add(text: string): void {
    for (const line of text.split('\n')) if (line.trim()) this.lines.push(line.trim());
    this.lines.splice(0, Math.max(0, this.lines.length - KEPT));
  }

  get value(): string | undefined {
    return this.lines.findLast((l) => ERROR_LINE.test(l)) ?? this.lines.at(-1);
  }

  /**
   * The line, reading the container's log from the engine when the stream brought nothing (it
   * exited before testcontainers attached to it); undefined when the container is gone too.
   */
  async orFrom(container: Dockerode.Container): Promise<string | undefined> {
    if (this.value === undefined) this.add(await recentLog(container, KEPT).catch(() => ''));
    return this.value;
  }

  /** Stops following (the service is up: its logs are read on demand from then on). */
  close(): void {
    this.stream?.destroy();
  }
}
