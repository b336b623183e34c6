/** What a fault is given, for specs that inject one into a topology of their own. */
import { monotonicClock } from '../../harness/core/clock.ts';
import { silentLogger } from '../../harness/core/logger.ts';
import type { FaultContext } from '../../harness/faults/fault.ts';
import type { StartedTopology } from '../../harness/runtime/topology.ts';
import { EventLog } from '../../harness/samples/event-log.ts';

export function faultContext(topology: StartedTopology): FaultContext {
  const clock = monotonicClock();
  return {
    topology,
    clock,
    events: new EventLog(clock.now),
    log: silentLogger,
    signal: new AbortController().signal,
  };
}
