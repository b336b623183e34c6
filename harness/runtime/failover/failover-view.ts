/**
 * What a run may ask of whoever moves the primary (the topology's `failover`), and the loop both
 * managers share: one watch loop the topology starts with it and stops before it goes down, and
 * the steps it takes, told to whoever listens (the run's observers put them in the event log).
 */
export type FailoverAction = 'detected' | 'promoted' | 'endpoint-switched' | 'repointed' | 'failed';

/** One step of a failover, as the run's event log records it (flat values). */
export interface FailoverEvent {
  action: FailoverAction;
  node: string;
  detail?: Record<string, string | number | boolean | null>;
}

/** What a run may ask of whoever moves the primary. */
export interface FailoverView {
  /** The node that is the primary now (the composition's until a failover). */
  primary(): string;
  /** Nodes a failover left behind: out of the write endpoint for good. */
  fenced(): readonly string[];
  /** Calls `listener` with each step as it happens; returns how to stop listening. */
  subscribe(listener: (event: FailoverEvent) => void): () => void;
  /** Resolves once no failover is under way (at once when none is). */
  settled(): Promise<void>;
}

/** A failover view the topology starts with it and stops before it goes down. */
export interface FailoverManager extends FailoverView {
  start(): void;
  stop(): Promise<void>;
}

/** A manager that watches in one loop until stopped and tells its listeners each step. */
export abstract class WatchingManager implements FailoverManager {
  private readonly listeners = new Set<(event: FailoverEvent) => void>();
  private readonly stopping = new AbortController();
  private loop: Promise<void> = Promise.resolve();

  abstract primary(): string;
  abstract fenced(): readonly string[];
  abstract settled(): Promise<void>;
  /** Runs until `signal` aborts. */
  protected abstract watch(signal: AbortSignal): Promise<void>;

  subscribe(listener: (event: FailoverEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  start(): void {
    this.loop = this.watch(this.stopping.signal).catch(() => undefined); // only a stop ends it
  }

  /** Stops watching (before the topology goes down, so its end is never taken for a failure). */
  async stop(): Promise<void> {
    this.stopping.abort();
    await this.loop;
  }

  protected emit(event: FailoverEvent): void {
    for (const listener of this.listeners) listener(event);
  }
}
