import assert from 'node:assert/strict';
import type { Clock } from '../core/clock.ts';
import type { Fault, FaultContext } from '../faults/fault.ts';
import { EventLog } from '../samples/event-log.ts';
import { injectAll } from './fault-window.ts';

/** A run clock that moves only when told to, and a fault context around it. */
function context() {
  let now = 1000;
  const clock = { now: () => now, startedAtEpochMs: 0, origin: 0 } as Clock;
  const events = new EventLog(() => now);
  const ctx = { clock, events, signal: new AbortController().signal } as unknown as FaultContext;
  return { ctx, events, advance: (ms: number) => (now += ms) };
}

function faultTakingEffectAt(
  id: string,
  advance: (ms: number) => number,
  at: (requested: number) => number | undefined,
): Fault {
  return {
    kind: 'test',
    id,
    async inject() {
      const requested = advance(0);
      advance(100); // the runtime answers 100 ms later
      const when = at(requested);
      return when === undefined ? undefined : { at: when };
    },
    async heal() {},
  };
}

describe('fault window: when a fault took effect', () => {
  it('is when inject returned, unless the fault says it took effect earlier', async () => {
    const { ctx, events, advance } = context();
    await injectAll(
      [
        faultTakingEffectAt('plain', advance, () => undefined),
        faultTakingEffectAt('kill', advance, (requested) => requested + 15),
      ],
      ctx,
      1000,
    );
    const actuated = Object.fromEntries(events.of('fault-actuated').map((e) => [e.fault, e.at]));
    const requested = Object.fromEntries(events.of('fault-requested').map((e) => [e.fault, e.at]));
    assert.equal(actuated.plain, 1200, 'after both injects ran');
    assert.equal(actuated.kill, (requested.kill as number) + 15);
  });

  it('never before it was requested nor in the future, whatever clock the time came from', async () => {
    const { ctx, events, advance } = context();
    await injectAll([faultTakingEffectAt('early', advance, (requested) => requested - 500)], ctx, 1000);
    await injectAll([faultTakingEffectAt('late', advance, (requested) => requested + 10_000)], ctx, 1000);
    const at = (kind: 'fault-requested' | 'fault-actuated', id: string) =>
      events.of(kind).find((e) => e.fault === id)?.at;
    assert.equal(at('fault-actuated', 'early'), at('fault-requested', 'early'));
    assert.equal(at('fault-actuated', 'late'), 1200, 'clamped to now');
  });
});
