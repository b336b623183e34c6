import assert from 'node:assert/strict';
import { defineChecker } from './checker.ts';
import {
  checkerDefinitions,
  checkerSpecProblems,
  createChecker,
  namedCheckerSpec,
  ownCheckerDefinitions,
  runCheckers,
} from './registry.ts';
import { actuated, every, failed, healed, ok, record } from './testing.ts';

describe('checkers/registry', () => {
  it('knows every checker by name, and each reports under its own name', () => {
    assert.deepEqual(Object.keys(checkerDefinitions).sort(), [
      'acked-writes-lost',
      'cache-effect',
      'cache-staleness',
      'cache-stampede',
      'cdn-freshness',
      'failover-time',
      'sessions-lost',
      'slo',
      'split-brain',
      'stale-reads',
      'time-to-detect',
      'time-to-recover',
      'write-unavailability',
    ]);
    const run = record({});
    for (const name of Object.keys(checkerDefinitions)) {
      const checker = createChecker(name);
      assert.equal(checker.name, name);
      const result = checker.check(run);
      assert.equal(result.checker, name);
      assert.equal(result.valid, 'unknown', `${name} on an empty run: ${result.summary}`);
      assert.doesNotThrow(() => JSON.stringify(result));
    }
  });

  it('runs the checkers an experiment names, with their options, in order', () => {
    const samples = every(0, 30_000, 100, (t) => (t >= 10_000 && t < 11_000 ? failed(t) : ok(t)));
    const run = record({ samples, events: [actuated(10_000), healed(20_000)] });
    const results = runCheckers(run, [
      { name: 'failover-time', options: { maxMs: '500ms' } },
      'time-to-recover',
      { name: 'slo', options: { thresholds: { baseline: { maxErrorRate: 0 } } } },
    ]);
    assert.deepEqual(
      results.map((r) => [r.checker, r.valid, r.value]),
      [
        ['failover-time', false, 900],
        ['time-to-recover', true, 0],
        ['slo', true, 0],
      ],
    );
  });

  it('never throws: an unknown checker or bad options become unknown results', () => {
    const results = runCheckers(record({}), [
      'flux-capacitor',
      { name: 'stale-reads', options: { maxRate: 'lots' } },
    ]);
    assert.deepEqual(
      results.map((r) => [r.checker, r.valid]),
      [
        ['flux-capacitor', 'unknown'],
        ['stale-reads', 'unknown'],
      ],
    );
    assert.match(results[0]?.summary ?? '', /unknown checker "flux-capacitor".*known checkers: stale-reads/);
    assert.match(results[1]?.summary ?? '', /maxRate/);
  });

  it('validates specs up front, naming every problem', () => {
    assert.deepEqual(
      checkerSpecProblems(['slo', { name: 'failover-time', options: { settleMs: '2s' } }]),
      [],
    );
    const problems = checkerSpecProblems([
      'nope',
      'slo',
      { name: 'failover-time', options: { settleMs: 'soon', extra: 1 } },
    ]);
    assert.equal(problems.length, 2);
    assert.match(problems[0] ?? '', /^checkers\.0: unknown checker "nope"/);
    assert.match(problems[1] ?? '', /^checkers\.2: .*settleMs.*extra|^checkers\.2: .*extra.*settleMs/);
    assert.throws(
      () => createChecker('nope'),
      (e: Error & { code?: string }) => e.code === 'CHECKER_UNKNOWN',
    );
  });
});

describe('checkers/registry: an experiment’s own checkers', () => {
  it('are the definitions of its own among its checkers, each once, however given', () => {
    const own = { ...checkerDefinitions.slo, name: 'my-slo' };
    const mine = defineChecker(own);
    const other = defineChecker({ ...own, name: 'my-other-slo' });
    assert.deepEqual(
      ownCheckerDefinitions([
        'slo',
        { name: 'failover-time' },
        mine,
        { name: mine, options: {} },
        namedCheckerSpec({ name: other, options: {} }),
        checkerDefinitions.slo,
      ]),
      [mine, other],
    );
    assert.deepEqual(ownCheckerDefinitions(['slo', { name: 'slo', options: {} }]), []);
  });
});
