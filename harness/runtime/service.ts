/** What every runtime (local processes, docker containers) gives for one running service. */
export type KillSignal = 'SIGKILL' | 'SIGTERM';

export interface KillOutcome {
  /**
   * Wall-clock ms (Date.now()) when its main process exited. A container engine says so ~100 ms
   * later; measurements start from this, not from when kill() returned.
   */
  exitedAt: number;
}

export interface ServiceHandle {
  readonly name: string;
  /** Where its ports are reachable from the harness (127.0.0.1 on the local runtime). */
  readonly host: string;
  readonly ports: Readonly<Record<string, number>>;
  /** Sends the signal to the whole service (all its processes) and waits until it is gone. */
  kill(signal?: KillSignal): Promise<KillOutcome>;
  /** Freezes it (SIGSTOP): connections stay open, nothing answers. */
  pause(): Promise<void>;
  resume(): Promise<void>;
  /** Starts it again (after a kill or stop) on the same ports and data, and waits until ready. */
  restart(): Promise<void>;
  /** Graceful stop, escalating to SIGKILL after a grace period. */
  stop(): Promise<void>;
  /** Its most recent log lines (stdout and stderr). */
  logs(): AsyncIterable<string>;
  readonly running: boolean;
}
