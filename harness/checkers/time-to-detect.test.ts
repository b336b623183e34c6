import assert from 'node:assert/strict';
import { actuated, healed, observed, record } from './testing.ts';
import { analyzeTimeToDetect, timeToDetectChecker } from './time-to-detect.ts';

const server = (at: number, name: string, status: string) =>
  observed(at, 'haproxy.server', { server: name, status });

describe('checkers/time-to-detect', () => {
  it('is unknown without a backend-death fault', () => {
    const result = timeToDetectChecker().check(record({ events: [actuated(1000, 'replica-lag:all')] }));
    assert.equal(result.valid, 'unknown');
    assert.match(result.summary, /no lb-backend-death \/ session-loss fault/);
  });

  it('is unknown without observations of the server', () => {
    const events = [actuated(10_000), server(10_500, 'web-1', 'DOWN'), healed(20_000)];
    const result = timeToDetectChecker().check(record({ events }));
    assert.equal(result.valid, 'unknown');
    assert.equal((result.evidence.faults as { result: string }[])[0]?.result, 'no-observations');
  });

  it('measures from actuation to the first DOWN of that server (observations record changes)', () => {
    const events = [
      server(0, 'web-2', 'UP'),
      server(0, 'web-1', 'UP'),
      actuated(10_000, 'session-loss:web-2'),
      server(10_300, 'web-2', 'UP 1/3'),
      server(10_450, 'web-1', 'DOWN'), // another server: not this fault's detection
      server(10_650, 'web-2', 'DOWN'),
      healed(20_000, 'session-loss:web-2'),
      server(19_000, 'web-2', 'UP'),
    ];
    const a = analyzeTimeToDetect(record({ events }));
    assert.deepEqual(a.faults[0], {
      fault: 'session-loss:web-2',
      server: 'web-2',
      actuatedAt: 10_000,
      healedAt: 20_000,
      result: 'detected',
      detectMs: 650,
      statuses: [
        { atMs: 300, status: 'UP 1/3' },
        { atMs: 650, status: 'DOWN' },
        { atMs: 9000, status: 'UP' },
      ],
    });
    const result = timeToDetectChecker({ maxMs: 1000 }).check(record({ events }));
    assert.deepEqual([result.valid, result.value, result.unit], [true, 650, 'ms']);
    assert.match(result.summary, /DOWN after 650 ms \(limit ≤ 1000 ms\)$/);
    assert.equal(timeToDetectChecker({ maxMs: 500 }).check(record({ events })).valid, false);
  });

  it('accepts backend-qualified server names and "DOWN 1/2"-style statuses', () => {
    const events = [actuated(1000), server(1200, 'web/web-2', 'DOWN 1/2')];
    assert.equal(timeToDetectChecker().check(record({ events })).value, 200);
  });

  it('fails when the server was observed but never reported DOWN while the fault lasted', () => {
    const events = [
      server(0, 'web-2', 'UP'), // known to be UP at actuation, and no change afterwards
      actuated(10_000),
      healed(20_000),
      server(21_000, 'web-2', 'DOWN'), // after the heal: too late to count
    ];
    const result = timeToDetectChecker().check(record({ events }));
    assert.equal(result.valid, false);
    assert.equal(result.value, undefined);
    assert.match(result.summary, /web-2 never reported DOWN/);
  });

  it('only considers the configured fault kinds and observation source', () => {
    const events = [
      actuated(1000, 'service-kill:web-3'),
      observed(1100, 'lb.state', { server: 'web-3', status: 'DOWN' }),
    ];
    assert.equal(timeToDetectChecker().check(record({ events })).valid, 'unknown');
    const custom = timeToDetectChecker({ kinds: ['service-kill'], source: 'lb.state' }).check(
      record({ events }),
    );
    assert.equal(custom.value, 100);
  });
});
