import assert from 'node:assert/strict';
import { EventLog } from '../samples/event-log.ts';
import { runStatus } from './status-line.ts';

const windows = [
  { name: 'warmup', startMs: 0, endMs: 1000 },
  { name: 'baseline', startMs: 1000, endMs: 5000 },
  { name: 'fault', startMs: 5000, endMs: 15_000 },
  { name: 'recovery', startMs: 15_000, endMs: 25_000 },
];

describe('run status for progress displays', () => {
  let now: number;
  let events: EventLog;
  beforeEach(() => {
    now = 0;
    events = new EventLog(() => now);
  });

  it('says the phase, the time left in it and in the whole run', () => {
    now = 3500;
    assert.deepEqual(runStatus(now, windows, events.events), {
      phase: 'baseline',
      leftMs: 1500,
      runLeftMs: 21_500,
      faults: [],
      healing: [],
    });
  });

  it('lists a fault from its request through its window', () => {
    now = 5001;
    events.record({ kind: 'fault-requested', fault: 'cache-node-loss:cache-1' });
    assert.deepEqual(runStatus(now, windows, events.events).faults, ['cache-node-loss:cache-1']);
    now = 9000;
    events.record({ kind: 'fault-actuated', fault: 'cache-node-loss:cache-1' });
    events.record({ kind: 'fault-verified', fault: 'cache-node-loss:cache-1' });
    assert.deepEqual(runStatus(now, windows, events.events).faults, ['cache-node-loss:cache-1']);
  });

  it('once the fault window is over, an unhealed fault is being healed, not in effect', () => {
    events.record({ kind: 'fault-requested', fault: 'lb-backend-death:web-2', at: 5000 });
    now = 15_010; // the run loop has not woken up to heal yet, or the heal is still waiting for web-2
    const status = runStatus(now, windows, events.events);
    assert.equal(status.phase, 'recovery');
    assert.deepEqual(status.faults, []);
    assert.deepEqual(status.healing, ['lb-backend-death:web-2']);
  });

  it('drops each fault the moment its heal is recorded, also when another one is still healing', () => {
    events.record({ kind: 'fault-requested', fault: 'link-down:cdn->lb', at: 5000 });
    events.record({ kind: 'fault-requested', fault: 'service-kill:web-1', at: 5000 });
    now = 15_200;
    events.record({ kind: 'fault-healed', fault: 'link-down:cdn->lb' });
    assert.deepEqual(runStatus(now, windows, events.events), {
      phase: 'recovery',
      leftMs: 9800,
      runLeftMs: 9800,
      faults: [],
      healing: ['service-kill:web-1'],
    });
    events.record({ kind: 'fault-heal-failed', fault: 'service-kill:web-1', detail: { error: 'refused' } });
    assert.deepEqual(runStatus(now, windows, events.events).healing, []);
  });
});
