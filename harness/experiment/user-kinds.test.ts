/**
 * An experiment's own fault and checker (defineFault, defineChecker from 'faultline'): used in
 * place of a built-in kind's name, checked as strictly as the built-in ones before anything starts,
 * and named by their names in the experiment copy result.json keeps.
 */
import assert from 'node:assert/strict';
import { z } from 'zod';
import { defineChecker, type RunRecord } from '../checkers/checker.ts';
import { checkerSpecProblems, createChecker, runCheckers } from '../checkers/registry.ts';
import { ok, record } from '../checkers/testing.ts';
import { FaultlineError } from '../core/errors.ts';
import { defineFault, type Fault } from '../faults/fault.ts';
import { createFault, faultTargets } from '../faults/registry.ts';
import { evaluateHypotheses } from '../run/judge.ts';
import { planRun } from '../run/plan-run.ts';
import { type ExperimentInput, validateExperiment } from './definition.ts';

/** A fault of the user's own: it only says what it did (this spec never starts a topology). */
function slowLinkKind(kind = 'slow-link', made: (link: string) => Partial<Fault> = () => ({})) {
  return defineFault({
    kind,
    description: 'slows one link down',
    params: z.object({ link: z.string().min(1), latency: z.number().int().min(1).default(200) }).strict(),
    targets: ({ link }) => [{ param: 'link', link }],
    create: ({ link }) => ({
      kind,
      id: `${kind}:${link}`,
      inject: async () => {},
      heal: async () => {},
      ...made(link),
    }),
  });
}

const slowLink = slowLinkKind();

/** A checker of the user's own: requests slower than `slowMs`, and their share (its metric). */
function slowRequestsChecker(name = 'slow-requests', metric = 'slow-ratio') {
  const options = z.object({ slowMs: z.number().min(0).default(100) }).strict();
  const analyze = (run: RunRecord, input?: z.input<typeof options>) => {
    const { slowMs } = options.parse(input ?? {});
    const slow = run.samples.filter((s) => s.doneAt - s.intendedAt > slowMs).length;
    return { slow, requests: run.samples.length };
  };
  return defineChecker({
    name,
    options,
    evidence: z.object({ slow: z.number() }),
    value: { unit: 'count', better: 'lower' },
    analyze,
    metrics: {
      [metric]: {
        unit: 'ratio',
        scope: 'run',
        better: 'lower',
        description: 'the share of requests slower than slowMs',
        resolve: (a) => (a.requests === 0 ? undefined : a.slow / a.requests),
      },
    },
    create: (input) => ({
      name,
      check: (run) => {
        const { slow } = analyze(run, input);
        return {
          checker: name,
          valid: slow === 0,
          value: slow,
          unit: 'count',
          summary: `${slow} slow`,
          evidence: { slow },
        };
      },
    }),
  });
}

const slowRequests = slowRequestsChecker();

const base: ExperimentInput = {
  name: 'own-kinds',
  description: 'a fault and a checker of its own',
  topology: { web: 1, cache: 1 },
  load: { executor: { executor: 'constant-arrival-rate', rate: 10 }, workload: { workload: 'browse' } },
  phases: { baseline: '1s', fault: '1s', recovery: '1s' },
  faults: [{ kind: slowLink, link: 'web-1->cache-1' }],
  hypotheses: ['error-rate < 1% during fault'],
  checkers: ['slo', slowRequests, { name: slowRequests, options: { slowMs: 50 } }],
};

/** The one-line usage error (exit 2) `fn` throws. */
function usage(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof FaultlineError, `a FaultlineError, got ${err}`);
    assert.equal(err.exitCode, 2, err.oneLine());
    return err.oneLine();
  }
  assert.fail('expected a usage error');
}

describe("an experiment's own fault and checker", () => {
  it('are used like built-in ones, and the experiment copy names them (result.json stays JSON)', () => {
    const e = validateExperiment(base, 'own.experiment.ts');
    assert.deepEqual(JSON.parse(JSON.stringify({ faults: e.faults, checkers: e.checkers })), {
      faults: [{ kind: 'slow-link', link: 'web-1->cache-1' }],
      checkers: [
        'slo',
        { name: 'slow-requests', options: {} },
        { name: 'slow-requests', options: { slowMs: 50 } },
      ],
    });
    const [spec] = e.faults;
    assert.ok(spec);
    assert.deepEqual(faultTargets(spec), [{ param: 'link', link: 'web-1->cache-1' }]);
    assert.equal(createFault(spec).id, 'slow-link:web-1->cache-1');
  });

  it('the checker runs with its options, beside the built-in ones', () => {
    const e = validateExperiment(base, 'own.experiment.ts');
    const run = record({ samples: [ok(0), ok(1000, {}, 80), ok(2000, {}, 150)] });
    assert.deepEqual(
      runCheckers(run, e.checkers).map((r) => [r.checker, r.value]),
      [
        ['slo', 0],
        ['slow-requests', 1],
        ['slow-requests', 2],
      ],
    );
  });

  it('a bad parameter of the own fault is a usage error naming it, before anything starts', () => {
    const line = usage(() =>
      validateExperiment(
        { ...base, faults: [{ kind: slowLink, link: 'web-1->cache-1', latency: 0, extra: 1 }] },
        'own.experiment.ts',
      ),
    );
    assert.match(line, /^own\.experiment\.ts: invalid experiment: faults\.0: invalid slow-link fault: /);
    assert.match(line, /latency: Too small/);
    assert.match(line, /Unrecognized key: "extra"/);
  });

  it('a bad option of the own checker is a usage error naming it', () => {
    const line = usage(() =>
      validateExperiment(
        { ...base, checkers: [{ name: slowRequests, options: { slowMs: 'soon' } }] },
        'own.experiment.ts',
      ),
    );
    assert.match(line, /checkers\.0: invalid options of checker "slow-requests": slowMs: /);
  });

  it('the own fault’s link is checked against the topology when the run is planned', async () => {
    const e = validateExperiment(
      { ...base, faults: [{ kind: slowLink, link: 'web-9->cache-1' }] },
      'own.experiment.ts',
    );
    await assert.rejects(planRun(e, undefined), (err: FaultlineError) => {
      assert.equal(err.exitCode, 2);
      assert.match(err.message, /faults\.0\.link: .*web-9->cache-1/);
      return true;
    });
  });

  it('may not take a built-in kind’s name, nor be no name at all', () => {
    assert.match(
      usage(() => createFault({ kind: slowLinkKind('link-latency'), link: 'web-1->cache-1' })),
      /fault kind "link-latency" is built in/,
    );
    assert.match(
      usage(() => createFault({ kind: slowLinkKind('Slow Link'), link: 'web-1->cache-1' })),
      /fault kind "Slow Link" is not a name/,
    );
    assert.match(
      usage(() => createChecker(slowRequestsChecker('slo'))),
      /checker "slo" is built in/,
    );
    assert.deepEqual(
      checkerSpecProblems([slowRequestsChecker('slo'), { name: slowRequestsChecker('Slow') }]),
      [
        'checkers.0: checker "slo" is built in (give your own checker (defineChecker) a name of its own; faultline list shows the built-in ones)',
        'checkers.1: checker "Slow" is not a name (name a checker with lowercase words joined by dashes, e.g. slow-requests)',
      ],
    );
    assert.match(
      usage(() =>
        validateExperiment(
          { ...base, faults: [{ kind: slowLinkKind('service-kill'), link: 'x' }] },
          'own.experiment.ts',
        ),
      ),
      /faults\.0: fault kind "service-kill" is built in/,
    );
  });

  it('two different own faults, or checkers, may not share a name (their results could not be told apart)', () => {
    const faults = [
      { kind: slowLink, link: 'web-1->cache-1' },
      { kind: slowLinkKind(), link: 'web-1->pg-primary' },
    ];
    assert.match(
      usage(() => validateExperiment({ ...base, faults }, 'own.experiment.ts')),
      /faults: two different fault kinds are named "slow-link": give each of your own a name of its own/,
    );
    const checkers = [slowRequests, slowRequestsChecker('slow-requests', 'other-ratio')];
    assert.match(
      usage(() => validateExperiment({ ...base, checkers }, 'own.experiment.ts')),
      /checkers: two different checkers are named "slow-requests"/,
    );
    // The same definition twice (say, with two option sets) is one checker, as in `base`.
    assert.doesNotThrow(() => validateExperiment(base, 'own.experiment.ts'));
  });

  it('a hypothesis may name the own checker’s metric, judged from that checker’s analysis', () => {
    const e = validateExperiment(
      {
        ...base,
        steadyState: ['slow-ratio < 50%'],
        hypotheses: ['slow-ratio < 50%', 'slow-ratio <= 25%'],
        variants: [{ name: 'strict', hypotheses: ['slow-ratio == 0%'] }],
        checkers: [{ name: slowRequests, options: { slowMs: 50 } }],
      },
      'own.experiment.ts',
    );
    // 1 of 4 requests took over 50 ms: the checker's own count, as the ratio its metric declares.
    const run = record({ samples: [ok(0), ok(1000), ok(2000, {}, 80), ok(3000, {}, 20)] });
    assert.equal(runCheckers(run, e.checkers)[0]?.value, 1);
    assert.deepEqual(
      evaluateHypotheses(run, e.hypotheses, e.checkers).map((h) => [h.text, h.metric, h.value, h.holds]),
      [
        ['slow-ratio < 50%', 'slow-ratio', 0.25, true],
        ['slow-ratio <= 25%', 'slow-ratio', 0.25, true],
      ],
    );
    assert.deepEqual(
      evaluateHypotheses(run, e.variants[0]?.hypotheses ?? [], e.checkers).map((h) => h.holds),
      [false],
    );
    // The options the experiment gave the checker are those its metric is measured with.
    const lenient = validateExperiment(
      { ...base, checkers: [{ name: slowRequests, options: { slowMs: 100 } }] },
      'own.experiment.ts',
    );
    assert.equal(evaluateHypotheses(run, ['slow-ratio == 0%'], lenient.checkers)[0]?.holds, true);
    // No data: the run cannot tell.
    assert.equal(evaluateHypotheses(record({}), ['slow-ratio == 0%'], e.checkers)[0]?.holds, 'unknown');
  });

  it('a hypothesis on the own metric is checked like a built-in one: its unit, and an unknown name', () => {
    const line = usage(() =>
      validateExperiment(
        { ...base, hypotheses: ['slow-ratio < 0.5', 'slow-share < 5%'], checkers: [slowRequests] },
        'own.experiment.ts',
      ),
    );
    assert.match(line, /hypotheses\.0: "slow-ratio < 0\.5": slow-ratio is a rate: write it in %/);
    assert.match(
      line,
      /hypotheses\.1: "slow-share < 5%": unknown metric "slow-share" \(metrics: p50, .*; of the experiment's own checkers: slow-ratio\)/,
    );
    // Without the checker, its metric is unknown.
    assert.match(
      usage(() => validateExperiment({ ...base, hypotheses: ['slow-ratio < 5%'], checkers: [] }, 'x')),
      /hypotheses\.0: "slow-ratio < 5%": unknown metric "slow-ratio" \(metrics: [^;]*\)$/,
    );
  });

  it('the own metric may not take a built-in metric’s name, nor another own checker’s', () => {
    const line = usage(() =>
      validateExperiment(
        { ...base, hypotheses: ['p99 < 1s'], checkers: [slowRequestsChecker('slow-requests', 'p99')] },
        'own.experiment.ts',
      ),
    );
    assert.match(
      line,
      /checkers: metric "p99" of checker "slow-requests" is built in \(give your checker’s metric a name of its own; faultline list shows the built-in ones\)/,
    );
    assert.doesNotMatch(line, /hypotheses/);
    assert.match(
      usage(() =>
        validateExperiment(
          { ...base, checkers: [slowRequests, slowRequestsChecker('slow-calls', 'slow-ratio')] },
          'own.experiment.ts',
        ),
      ),
      /checkers: metric "slow-ratio" of checker "slow-calls" is also declared by checker "slow-requests"/,
    );
    assert.match(
      usage(() =>
        validateExperiment(
          { ...base, checkers: [slowRequestsChecker('slow-requests', 'Slow Ratio')] },
          'own.experiment.ts',
        ),
      ),
      /checkers: metric "Slow Ratio" of checker "slow-requests" is not a name/,
    );
  });

  it('a fault whose kind or id is not its kind’s is refused when it is made', () => {
    const wrong = slowLinkKind('slow-link', (link) => ({ id: `slow:${link}` }));
    assert.match(
      usage(() => createFault({ kind: wrong, link: 'web-1->cache-1' })),
      /fault kind "slow-link" made a fault of kind "slow-link" with id "slow:web-1->cache-1"/,
    );
  });
});
