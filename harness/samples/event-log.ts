/**
 * The run's event log beside the samples: phases, the life of every fault (requested → actuated →
 * verified → healed), and observations polled from the system (HAProxy server states, replication
 * lag, cache stats). Times are ms on the run clock, like samples.
 */
export type RunEventKind =
  | 'phase-start'
  | 'phase-end'
  | 'fault-requested'
  | 'fault-actuated'
  | 'fault-verified'
  | 'fault-unverified'
  | 'fault-healed'
  | 'fault-heal-failed'
  | 'observation';

export interface RunEvent {
  at: number;
  kind: RunEventKind;
  /** Phase name, for phase events. */
  phase?: string;
  /** Fault id (its kind and target, e.g. "lb-backend-death:web-2"), for fault events. */
  fault?: string;
  /** What was observed, for observations: e.g. "haproxy.server", "pg.replication", "redis.stats". */
  source?: string;
  detail?: Record<string, string | number | boolean | null>;
}

export class EventLog {
  readonly events: RunEvent[] = [];

  constructor(private readonly now: () => number) {}

  record(event: Omit<RunEvent, 'at'> & { at?: number }): RunEvent {
    const full = { ...event, at: event.at ?? this.now() };
    // A backdated event (a fault that took effect before the runtime said so) goes where it
    // belongs: the log stays in time order.
    let i = this.events.length;
    while (i > 0 && (this.events[i - 1] as RunEvent).at > full.at) i--;
    this.events.splice(i, 0, full);
    return full;
  }

  of(kind: RunEventKind): RunEvent[] {
    return this.events.filter((e) => e.kind === kind);
  }
}
