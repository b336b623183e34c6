import assert from 'node:assert/strict';
import { EventLog } from './event-log.ts';

describe('the run event log', () => {
  it('stamps events with the run clock, and keeps a backdated one in time order', () => {
    let now = 100;
    const log = new EventLog(() => now);
    log.record({ kind: 'fault-requested', fault: 'f' });
    now = 150;
    log.record({ kind: 'observation', source: 'haproxy.server', detail: {} });
    now = 200;
    log.record({ kind: 'fault-actuated', fault: 'f', at: 120 }); // it took effect before we were told
    assert.deepEqual(
      log.events.map((e) => [e.kind, e.at]),
      [
        ['fault-requested', 100],
        ['fault-actuated', 120],
        ['observation', 150],
      ],
    );
  });
});
