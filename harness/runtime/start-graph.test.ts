import assert from 'node:assert/strict';
import { type StartStep, startGraph, startOrder } from './start-graph.ts';

/** A step that records when it starts and finishes as the graph drives it, after `ms` of work. */
function step(
  name: string,
  waitsFor: string[],
  log: string[],
  { ms = 5, fails = false, settleMs }: { ms?: number; fails?: boolean; settleMs?: number } = {},
): StartStep & { aborted: () => boolean } {
  let aborted = false;
  return {
    name,
    waitsFor,
    aborted: () => aborted,
    async start(signal) {
      log.push(`start ${name}`);
      signal.addEventListener('abort', () => {
        aborted = true;
      });
      await new Promise((resolve) => setTimeout(resolve, ms));
      if (fails) throw new Error(`${name} broke`);
      log.push(`ready ${name}`);
    },
    ...(settleMs === undefined
      ? {}
      : {
          async settle() {
            await new Promise((resolve) => setTimeout(resolve, settleMs));
            log.push(`settled ${name}`);
          },
        }),
  };
}

describe('startGraph', () => {
  it('starts a step once everything it waits for is ready, and the rest side by side', async () => {
    const log: string[] = [];
    await startGraph([
      step('web', ['db', 'cache'], log),
      step('db', [], log, { ms: 20 }),
      step('cache', [], log),
      step('lb', ['web'], log),
    ]);
    assert.deepEqual(log.slice(0, 2).sort(), ['start cache', 'start db'], 'both start at once');
    assert.ok(log.indexOf('start web') > log.indexOf('ready db'));
    assert.ok(log.indexOf('start web') > log.indexOf('ready cache'));
    assert.ok(log.indexOf('start lb') > log.indexOf('ready web'));
  });

  it('does not hold dependents up for a settle, but is done only once every settle is', async () => {
    const log: string[] = [];
    await startGraph([step('replica', [], log, { settleMs: 30 }), step('web', ['replica'], log)]);
    assert.deepEqual(log, ['start replica', 'ready replica', 'start web', 'ready web', 'settled replica']);
  });

  it('on a failure: aborts what is starting, never starts the rest, and throws it once all in flight settled', async () => {
    const log: string[] = [];
    const slow = step('slow', [], log, { ms: 40 });
    await assert.rejects(
      startGraph([step('broken', [], log, { fails: true }), slow, step('after', ['broken'], log)]),
      /broken broke/,
    );
    assert.equal(slow.aborted(), true, 'the step in flight was told');
    assert.ok(log.includes('ready slow'), 'and was waited for');
    assert.ok(!log.includes('start after'), 'what waited for the failure never started');
  });

  it('reports the time of each step and the chain of waits that decided the total', async () => {
    const log: string[] = [];
    const report = await startGraph([
      step('db', [], log, { ms: 60 }),
      step('cache', [], log, { ms: 1 }),
      step('web', ['db', 'cache'], log, { ms: 10 }),
    ]);
    assert.deepEqual(
      report.chain.map((s) => s.step),
      ['db', 'web'],
      'the cache was ready long before the database',
    );
    assert.equal(report.steps.web?.readyAt, report.totalMs);
    assert.ok((report.steps.web?.startedAt ?? 0) >= (report.steps.db?.readyAt ?? Infinity));
  });
});

describe('startOrder', () => {
  const named = (name: string, waitsFor: string[]): StartStep => ({ name, waitsFor, start: async () => {} });

  it('puts every step after what it waits for', () => {
    const order = startOrder([named('lb', ['web']), named('web', ['db']), named('db', [])]).map(
      (s) => s.name,
    );
    assert.deepEqual(order, ['db', 'web', 'lb']);
  });

  it('refuses a wait for a step nothing starts, naming both', () => {
    assert.throws(() => startOrder([named('web', ['db'])]), /web waits for "db", which nothing starts/);
  });

  it('refuses two steps of one name, and a cycle, naming it', () => {
    assert.throws(() => startOrder([named('db', []), named('db', [])]), /two components start "db"/);
    assert.throws(
      () => startOrder([named('a', ['b']), named('b', ['a'])]),
      /wait for each other in a cycle: a -> b -> a/,
    );
  });
});
