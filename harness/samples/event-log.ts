/**
 * The run's event log beside the samples: phases, the life of every fault (requested → actuated →
 * verified → healed), and observations polled from the system (HAProxy server states, replication
 * lag, cache stats). Times are ms on the run clock, like samples.
 */
import type { RunEvent, RunEventKind, RunEventOf } from './run-event.ts';

export type { RunEvent, RunEventKind, RunEventOf };

/** An event as recorded: its time defaults to now. */
export type NewRunEvent = RunEvent extends infer E
  ? E extends RunEvent
    ? Omit<E, 'at'> & { at?: number }
    : never
  : never;

export class EventLog {
  readonly events: RunEvent[] = [];

  constructor(private readonly now: () => number) {}

  record(event: NewRunEvent): RunEvent {
    const full = { ...event, at: event.at ?? this.now() } as RunEvent;
    // A backdated event (a fault that took effect before the runtime said so) goes where it
    // belongs: the log stays in time order.
    let i = this.events.length;
    while (i > 0 && (this.events[i - 1] as RunEvent).at > full.at) i--;
    this.events.splice(i, 0, full);
    return full;
  }

  of<K extends RunEventKind>(kind: K): RunEventOf<K>[] {
    return this.events.filter((e): e is RunEventOf<K> => e.kind === kind);
  }
}
