/**
 * One toxic's place in one direction of one connection (Toxiproxy's ToxicStub). A toxic's `pipe`
 * loop takes events from `take()`, waits with `sleep()`, and passes data on with `emit()`. An
 * interrupt (toxic updated or removed) wakes whatever it waits on so the loop can hand back what it
 * holds; nothing is dropped unless the toxic's semantics say so.
 */
import { performance } from 'node:perf_hooks';

export interface Chunk {
  readonly data: Buffer;
  /** When the bytes were read from the source (performance.now() ms); latency is counted from here. */
  timestamp: number;
}

/** End of the stream; `reset` closes the connection with a TCP RST instead of a FIN. */
export interface StreamEnd {
  readonly end: 'eof' | 'reset';
}

export type StreamEvent = Chunk | StreamEnd;
export const INTERRUPTED: unique symbol = Symbol('interrupted');
export const TIMED_OUT: unique symbol = Symbol('timed out');
export type Taken = StreamEvent | typeof INTERRUPTED;

export function isEnd(event: StreamEvent): event is StreamEnd {
  return 'end' in event;
}

export function now(): number {
  return performance.now();
}

/** setTimeout fires at once (after 1 ms) for delays above this; longer waits are chained. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** A timer for any delay, even years (Go's time.After has no such limit); returns its cancel. */
function after(ms: number, fire: () => void): () => void {
  let timer: NodeJS.Timeout;
  const due = now() + ms;
  const arm = (left: number) => {
    timer = left > MAX_TIMER_MS ? setTimeout(() => arm(due - now()), MAX_TIMER_MS) : setTimeout(fire, left);
  };
  arm(ms);
  return () => clearTimeout(timer);
}

export class ToxicStub {
  /** Per-connection state a stateful toxic keeps across updates (limit_data's byte count). */
  state: unknown;
  queuedBytes = 0;
  private readonly queue: StreamEvent[] = [];
  private waiter: ((taken: Taken) => void) | undefined;
  private sleeper: { cancel: () => void; wake: (elapsed: boolean) => void } | undefined;
  private interrupting = false;
  private closed = false;
  private running: Promise<void> = Promise.resolve();

  constructor(
    public output: (event: StreamEvent) => void,
    private readonly onDequeue: () => void,
  ) {}

  get isClosed(): boolean {
    return this.closed;
  }

  /** Called by the previous stage. After close, data is discarded (the stream is finished). */
  push(event: StreamEvent): void {
    if (this.closed) return;
    const waiter = this.waiter;
    if (waiter) {
      this.waiter = undefined;
      waiter(event);
      return;
    }
    this.queue.push(event);
    if (!isEnd(event)) this.queuedBytes += event.data.length;
  }

  take(): Promise<Taken> {
    if (this.interrupting || this.closed) return Promise.resolve(INTERRUPTED);
    const next = this.queue.shift();
    if (next !== undefined) {
      if (!isEnd(next)) this.queuedBytes -= next.data.length;
      this.onDequeue();
      return Promise.resolve(next);
    }
    return new Promise((resolve) => {
      this.waiter = resolve;
    });
  }

  /** Like take(), but gives up after `ms` with TIMED_OUT (Go's select on input and time.After). */
  async takeWithin(ms: number): Promise<Taken | typeof TIMED_OUT> {
    if (this.queue.length > 0 || this.interrupting || this.closed) return this.take();
    let cancel: (() => void) | undefined;
    const timedOut = new Promise<typeof TIMED_OUT>((resolve) => {
      cancel = after(ms, () => {
        this.waiter = undefined;
        resolve(TIMED_OUT);
      });
    });
    try {
      return await Promise.race([this.take(), timedOut]);
    } finally {
      cancel?.();
    }
  }

  /** Puts an event back at the head of the queue, for a toxic interrupted while holding it. */
  requeue(event: StreamEvent): void {
    if (this.closed) return;
    this.queue.unshift(event);
    if (!isEnd(event)) this.queuedBytes += event.data.length;
  }

  /** Resolves true when `ms` elapsed, false when interrupted first. */
  sleep(ms: number): Promise<boolean> {
    if (this.interrupting || this.closed) return Promise.resolve(false);
    if (ms <= 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const cancel = after(ms, () => {
        this.sleeper = undefined;
        resolve(true);
      });
      this.sleeper = { cancel, wake: resolve };
    });
  }

  emit(chunk: Chunk): void {
    if (!this.closed) this.output(chunk);
  }

  /** Finishes this stream (Toxiproxy's stub.Close): the end travels on, later input is dropped. */
  close(end: StreamEnd['end'] = 'eof'): void {
    if (this.closed) return;
    this.closed = true;
    this.dropQueue();
    this.output({ end });
  }

  run(pipe: (stub: ToxicStub) => Promise<void>): void {
    this.running = pipe(this).catch(() => this.close('eof'));
  }

  /** Stops the running loop; false when the stream is already closed (nothing to restart). */
  async interrupt(): Promise<boolean> {
    if (this.closed) return false;
    this.interrupting = true;
    this.wake();
    await this.running;
    this.interrupting = false;
    return !this.closed;
  }

  /** Hands over everything still queued, in order (used when this toxic is removed). */
  drain(): StreamEvent[] {
    const events = this.queue.splice(0);
    this.queuedBytes = 0;
    return events;
  }

  /** The connection is gone: stop timers and waiters so nothing keeps the process alive. */
  dispose(): void {
    this.closed = true;
    this.dropQueue();
    this.wake();
  }

  private dropQueue(): void {
    this.queue.length = 0;
    this.queuedBytes = 0;
    this.onDequeue();
  }

  private wake(): void {
    const waiter = this.waiter;
    this.waiter = undefined;
    waiter?.(INTERRUPTED);
    const sleeper = this.sleeper;
    this.sleeper = undefined;
    if (sleeper) {
      sleeper.cancel();
      sleeper.wake(false);
    }
  }
}
