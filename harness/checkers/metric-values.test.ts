import assert from 'node:assert/strict';
import { z } from 'zod';
import type { Sample } from '../samples/sample.ts';
import { cacheEffectChecker } from './cache-effect.ts';
import { defineChecker } from './checker.ts';
import { failoverTimeChecker } from './failover-time.ts';
import {
  experimentMetrics,
  isKnownMetric,
  metricNames,
  metrics,
  metricTable,
  metricValue,
  optionsFromSpecs,
} from './metric-values.ts';
import { type AnyCheckerDefinition, checkerDefinitions, namedCheckerSpec } from './registry.ts';
import { sessionsLostChecker } from './sessions-lost.ts';
import { staleReadsChecker } from './stale-reads.ts';
import { actuated, every, failed, healed, observed, ok, record } from './testing.ts';
import { timeToDetectChecker } from './time-to-detect.ts';
import { timeToRecoverChecker } from './time-to-recover.ts';

/**
 * One run with a bit of everything: browsing with cache lookups (failing for 1.2 s after web-2
 * dies at 10 s, healed at 20 s), a shopper losing the session, stale read-backs during the fault,
 * static assets, and HAProxy marking web-2 DOWN after 600 ms.
 */
function mixedRun() {
  const samples: Sample[] = every(0, 30_000, 100, (t) => {
    const cache = t >= 10_000 && t < 20_000 && (t / 100) % 2 === 1 ? 'miss' : 'hit';
    const extra = { cache, ...(cache === 'miss' ? { readFrom: 'pg-replica-1' } : {}) };
    return t >= 10_000 && t < 11_200 && (t / 100) % 4 === 0 ? failed(t, extra) : ok(t, extra);
  });
  samples.push(
    ok(1000, { request: 'POST /login', sessionId: 'u1' }),
    ok(2000, { request: 'GET /cart', sessionId: 'u1' }),
    failed(12_000, { request: 'GET /cart', sessionId: 'u1', status: 401 }),
    ok(13_000, { request: 'POST /login', sessionId: 'u1' }),
  );
  const readBack = (t: number, acked: number, version: number) =>
    ok(t, { sessionId: 'u2', version, detail: { productId: 1, ackedVersion: acked, ackedAt: t } });
  samples.push(readBack(5000, 1, 1), readBack(15_000, 3, 2), readBack(16_000, 4, 4), readBack(25_000, 5, 5));
  samples.push(
    ok(15_000, { request: 'GET /static/* (cacheable)', cache: 'hit', detail: { cacheable: true } }),
    failed(15_100, { request: 'GET /static/* (uncached)', detail: { cacheable: false } }),
  );
  const events = [
    observed(0, 'haproxy.server', { server: 'web-2', status: 'UP' }),
    actuated(10_000),
    observed(10_600, 'haproxy.server', { server: 'web-2', status: 'DOWN' }),
    healed(20_000),
  ];
  return record({ samples, events });
}

describe('checkers/metric-values', () => {
  it('resolves the headline metrics to the checkers own values', () => {
    const run = mixedRun();
    assert.equal(metricValue(run, 'failover-time'), failoverTimeChecker().check(run).value);
    // Browse failures until 10.8 s, then the lost session's 401 at 12 s (within the 2 s settle
    // period, so part of the outage); the uncached asset failing at 15.1 s is not.
    assert.equal(metricValue(run, 'failover-time'), 2000);
    assert.equal(metricValue(run, 'time-to-detect'), timeToDetectChecker().check(run).value);
    assert.equal(metricValue(run, 'time-to-detect'), 600);
    assert.equal(metricValue(run, 'time-to-recover'), timeToRecoverChecker().check(run).value);
    assert.equal(metricValue(run, 'sessions-lost'), sessionsLostChecker().check(run).value);
    assert.equal(metricValue(run, 'sessions-lost'), 1);
    assert.equal(metricValue(run, 'sessions-lost', 'baseline'), 0);
    assert.equal(metricValue(run, 'forced-relogins', 'fault'), 1);
    assert.equal(metricValue(run, 'stale-read-rate'), staleReadsChecker().check(run).value);
    assert.equal(metricValue(run, 'stale-read-rate'), 0.25);
    assert.equal(metricValue(run, 'stale-read-rate', 'fault'), 0.5);
    assert.equal(metricValue(run, 'stale-read-rate', 'baseline'), 0);
    assert.equal(metricValue(run, 'stale-reads', 'fault'), 1);
    assert.equal(metricValue(run, 'hit-ratio', 'fault'), cacheEffectChecker().check(run).value);
    assert.equal(metricValue(run, 'hit-ratio', 'fault'), 0.5);
    assert.equal(metricValue(run, 'hit-ratio', 'baseline'), 1);
    assert.equal(metricValue(run, 'hit-ratio'), 250 / 300);
    assert.equal(metricValue(run, 'db-reads-per-sec', 'fault'), 5);
    assert.equal(metricValue(run, 'db-read-surge'), undefined, 'no DB reads in the baseline: no ratio');
    assert.equal(metricValue(run, 'rewarm-time'), 0);
    assert.equal(metricValue(run, 'cached-error-rate', 'fault'), 0);
    assert.equal(metricValue(run, 'uncached-error-rate', 'fault'), 1);
  });

  it('names for each metric the checker that measures it: the analysis its value comes from', () => {
    const run = mixedRun();
    for (const name of metricNames) {
      const read = new Set<string>();
      const definition = metrics[name];
      assert.ok(definition);
      definition.resolve({
        run,
        phase: 'fault',
        get: (checker, analyze) => {
          read.add(checker);
          return analyze(run);
        },
      });
      // The load numbers every run has come from load-metrics.ts: a hypothesis on them judges no
      // checker's measurement.
      assert.deepEqual([...read], [definition.checker ?? 'load'], name);
    }
    assert.equal(metrics['stale-read-rate']?.checker, 'stale-reads');
    assert.equal(metrics['error-rate']?.checker, undefined);
  });

  it('resolves latency, error rate and throughput per phase and over the whole run', () => {
    const run = mixedRun();
    const p99 = metricValue(run, 'p99', 'baseline');
    assert.ok(p99 !== undefined && p99 >= 5 && p99 <= 5.005, `p99 ${p99}`);
    assert.equal(metricValue(run, 'error-rate', 'baseline'), 0);
    // fault phase: 100 browse requests of which 3 failed (10.0, 10.4, 10.8, … < 11.2 s: 3), + 1 cart 401, 1 uncached
    assert.equal(metricValue(run, 'error-rate', 'fault'), 5 / 106);
    assert.equal(metricValue(run, 'throughput', 'fault'), 10.6);
    assert.equal(metricValue(run, 'error-rate'), 5 / (300 + 4 + 4 + 2));
    assert.equal(metricValue(run, 'p99', 'chaos'), undefined, 'no such phase');
  });

  it('gives Infinity when the checker established that it never happened, undefined when it cannot tell', () => {
    const failing = every(0, 30_000, 100, (t) => (t >= 10_000 ? failed(t) : ok(t)));
    const never = record({
      samples: failing,
      events: [
        observed(0, 'haproxy.server', { server: 'web-2', status: 'UP' }),
        actuated(10_000),
        healed(20_000),
      ],
    });
    assert.equal(metricValue(never, 'failover-time'), Number.POSITIVE_INFINITY);
    assert.equal(metricValue(never, 'time-to-detect'), Number.POSITIVE_INFINITY);
    assert.equal(metricValue(never, 'time-to-recover'), Number.POSITIVE_INFINITY);

    const quiet = record({ samples: every(0, 30_000, 100, (t) => ok(t)) });
    for (const name of [
      'failover-time',
      'time-to-detect',
      'time-to-recover',
      'sessions-lost',
      'stale-read-rate',
      'hit-ratio',
    ]) {
      assert.equal(metricValue(quiet, name), undefined, name);
    }
    assert.equal(metricValue(quiet, 'error-rate'), 0);
  });

  it('takes checker options from the experiment, e.g. the recovery SLO', () => {
    const samples = every(0, 30_000, 100, (t) => ok(t, {}, t >= 20_000 && t < 22_000 ? 400 : 5));
    const run = record({ samples, events: [actuated(10_000), healed(20_000)] });
    assert.equal(metricValue(run, 'time-to-recover'), 0);
    const options = optionsFromSpecs(['slo', { name: 'time-to-recover', options: { maxP99Ms: 100 } }]);
    assert.deepEqual(options, { 'time-to-recover': { maxP99Ms: 100 } });
    assert.equal(metricValue(run, 'time-to-recover', undefined, options), 2000);
  });

  it('lists its metric names; an unknown name gives undefined', () => {
    for (const name of [
      'p50',
      'p90',
      'p99',
      'p999',
      'max',
      'error-rate',
      'throughput',
      'stale-read-rate',
      'failover-time',
      'time-to-detect',
      'time-to-recover',
      'sessions-lost',
      'hit-ratio',
      'cached-error-rate',
    ]) {
      assert.ok(metricNames.includes(name), name);
    }
    assert.equal(isKnownMetric('p42'), false);
    assert.equal(isKnownMetric('constructor'), false);
    assert.equal(metricValue(mixedRun(), 'p42'), undefined);
  });
});

describe('checkers/metric-values on a mixed run (pinned)', () => {
  // Recorded before the checkers declared their own metrics (issue 13), to prove that move changed
  // no value, unit, scope or measuring checker. Values as strings: [whole run, baseline, fault, recovery].
  it('gives every metric, over the whole run and per phase, the value recorded', () => {
    const run = mixedRun();
    const values = Object.fromEntries(
      Object.keys(metrics).map((name) => [
        name,
        [undefined, 'baseline', 'fault', 'recovery'].map((phase) => String(metricValue(run, name, phase))),
      ]),
    );
    assert.deepEqual(values, {
      p50: ['5.003', '5.003', '5.003', '5.003'],
      p90: ['5.003', '5.003', '5.003', '5.003'],
      p99: ['5.003', '5.003', '5.003', '5.003'],
      p999: ['5.003', '5.003', '5.003', '5.003'],
      max: ['5.003', '5.003', '5.003', '5.003'],
      mean: ['5.002', '5.002', '5.002', '5.002'],
      'error-rate': ['0.016129032258064516', '0', '0.04716981132075472', '0'],
      throughput: ['10.333', '10.3', '10.6', '10.1'],
      goodput: ['10.167', '10.3', '10.1', '10.1'],
      'stale-read-rate': ['0.25', '0', '0.5', '0'],
      'stale-reads': ['1', '0', '1', '0'],
      'monotonic-read-violations': ['0', '0', '0', '0'],
      'read-your-writes-violations': ['1', '0', '1', '0'],
      'sessions-lost': ['1', '0', '1', '0'],
      'forced-relogins': ['1', '0', '1', '0'],
      'hit-ratio': ['0.8333333333333334', '1', '0.5', '1'],
      'db-reads-per-sec': ['undefined', '0', '5', '0'],
      'cached-error-rate': ['0', 'undefined', '0', 'undefined'],
      'uncached-error-rate': ['1', 'undefined', '1', 'undefined'],
      'hit-ratio-dip': ['0.5', '0.5', '0.5', '0.5'],
      'db-read-surge': ['undefined', 'undefined', 'undefined', 'undefined'],
      'rewarm-time': ['0', '0', '0', '0'],
      'failover-time': ['2000', '2000', '2000', '2000'],
      'time-to-detect': ['600', '600', '600', '600'],
      'time-to-recover': ['0', '0', '0', '0'],
      'write-unavailability': ['undefined', 'undefined', 'undefined', 'undefined'],
      'time-to-promote': ['undefined', 'undefined', 'undefined', 'undefined'],
      'acked-writes-lost': ['undefined', 'undefined', 'undefined', 'undefined'],
      'split-brain-writes': ['undefined', 'undefined', 'undefined', 'undefined'],
      'cache-stale-read-rate': ['undefined', 'undefined', 'undefined', 'undefined'],
      'staleness-age-max': ['undefined', 'undefined', 'undefined', 'undefined'],
      'staleness-age-p99': ['undefined', 'undefined', 'undefined', 'undefined'],
      'stampede-db-reads-max': ['undefined', 'undefined', 'undefined', 'undefined'],
      'stampede-db-reads-mean': ['undefined', 'undefined', 'undefined', 'undefined'],
      'cdn-old-content-share': ['undefined', 'undefined', 'undefined', 'undefined'],
      'cdn-time-to-fresh': ['undefined', 'undefined', 'undefined', 'undefined'],
      'cdn-origin-fetches-peak': ['undefined', 'undefined', 'undefined', 'undefined'],
    });
  });

  it('keeps each metric’s unit, scope and checker', () => {
    const table = Object.fromEntries(
      Object.entries(metrics).map(([name, m]) => [name, [m.unit, m.scope, m.checker ?? null]]),
    );
    assert.deepEqual(table, {
      p50: ['ms', 'phase', null],
      p90: ['ms', 'phase', null],
      p99: ['ms', 'phase', null],
      p999: ['ms', 'phase', null],
      max: ['ms', 'phase', null],
      mean: ['ms', 'phase', null],
      'error-rate': ['ratio', 'phase', null],
      throughput: ['per-second', 'phase', null],
      goodput: ['per-second', 'phase', null],
      'stale-read-rate': ['ratio', 'phase', 'stale-reads'],
      'stale-reads': ['count', 'phase', 'stale-reads'],
      'monotonic-read-violations': ['count', 'phase', 'stale-reads'],
      'read-your-writes-violations': ['count', 'phase', 'stale-reads'],
      'sessions-lost': ['count', 'phase', 'sessions-lost'],
      'forced-relogins': ['count', 'phase', 'sessions-lost'],
      'hit-ratio': ['ratio', 'phase', 'cache-effect'],
      'db-reads-per-sec': ['per-second', 'phase', 'cache-effect'],
      'cached-error-rate': ['ratio', 'phase', 'cache-effect'],
      'uncached-error-rate': ['ratio', 'phase', 'cache-effect'],
      'hit-ratio-dip': ['ratio', 'run', 'cache-effect'],
      'db-read-surge': ['ratio', 'run', 'cache-effect'],
      'rewarm-time': ['ms', 'run', 'cache-effect'],
      'failover-time': ['ms', 'run', 'failover-time'],
      'time-to-detect': ['ms', 'run', 'time-to-detect'],
      'time-to-recover': ['ms', 'run', 'time-to-recover'],
      'write-unavailability': ['ms', 'run', 'write-unavailability'],
      'time-to-promote': ['ms', 'run', 'write-unavailability'],
      'acked-writes-lost': ['count', 'run', 'acked-writes-lost'],
      'split-brain-writes': ['count', 'run', 'split-brain'],
      'cache-stale-read-rate': ['ratio', 'phase', 'cache-staleness'],
      'staleness-age-max': ['ms', 'phase', 'cache-staleness'],
      'staleness-age-p99': ['ms', 'phase', 'cache-staleness'],
      'stampede-db-reads-max': ['count', 'phase', 'cache-stampede'],
      'stampede-db-reads-mean': ['count', 'phase', 'cache-stampede'],
      'cdn-old-content-share': ['ratio', 'run', 'cdn-freshness'],
      'cdn-time-to-fresh': ['ms', 'run', 'cdn-freshness'],
      'cdn-origin-fetches-peak': ['per-second', 'run', 'cdn-freshness'],
    });
  });
});

describe('checkers/metric-values from the checkers’ definitions', () => {
  it('each checker reports the unit its definition declares, with evidence its evidence schema reads', () => {
    const run = mixedRun();
    for (const definition of Object.values(checkerDefinitions) as readonly AnyCheckerDefinition[]) {
      const result = definition.create().check(run);
      if (result.value !== undefined) assert.equal(result.unit, definition.value.unit, definition.name);
      const parsed = definition.evidence.safeParse(result.evidence);
      assert.ok(parsed.success, `${definition.name}: ${parsed.error?.message}`);
    }
  });

  it('lists every metric a checker declares, under that checker', () => {
    for (const definition of Object.values(checkerDefinitions) as readonly AnyCheckerDefinition[]) {
      for (const name of Object.keys(definition.metrics))
        assert.equal(metrics[name]?.checker, definition.name);
    }
  });

  it('refuses two sources declaring the same metric name, naming both', () => {
    const source = (name: string) => ({
      name,
      analyze: () => 1,
      metrics: { twice: { unit: 'count', scope: 'run', better: 'lower', description: '', resolve: () => 1 } },
    });
    assert.throws(
      () => metricTable([{ source: source('a') }, { source: source('b'), checker: 'b' }] as never),
      /metric "twice" is declared by both a and b/,
    );
  });
});

describe('checkers/metric-values with an experiment’s own checkers', () => {
  // Counts the failed requests; its metric is their share, the limit given by its options.
  const options = z.object({ limit: z.number().default(0) }).strict();
  const failures = defineChecker({
    name: 'failures',
    options,
    evidence: z.object({}),
    value: { unit: 'count', better: 'lower' },
    analyze: (run, input?: z.input<typeof options>) => ({
      failed: run.samples.filter((s) => s.outcome !== 'ok').length - options.parse(input ?? {}).limit,
      requests: run.samples.length,
    }),
    metrics: {
      'failed-share': {
        unit: 'ratio',
        scope: 'run',
        better: 'lower',
        description: 'failed requests beyond the limit, of all',
        resolve: (a) => a.failed / a.requests,
      },
    },
    create: () => ({
      name: 'failures',
      check: () => ({ checker: 'failures', valid: true, summary: '', evidence: {} }),
    }),
  });

  it('are the built-in metrics when it has none of its own', () => {
    assert.equal(experimentMetrics(['slo', { name: 'failover-time', options: {} }]), metrics);
  });

  it('adds the own checker’s metrics under it, given or named as a validated experiment names it', () => {
    for (const spec of [failures, { name: failures }, namedCheckerSpec({ name: failures, options: {} })]) {
      const table = experimentMetrics(['slo', spec]);
      assert.deepEqual(Object.keys(table), [...metricNames, 'failed-share']);
      assert.equal(table['failed-share']?.checker, 'failures');
      assert.equal(table['failed-share']?.unit, 'ratio');
      assert.equal(isKnownMetric('failed-share'), false, 'the built-in table is untouched');
    }
  });

  it('resolves the own metric from its checker’s analysis with the options the experiment gave it', () => {
    const run = record({ samples: [ok(0), failed(1000), failed(2000), ok(3000)] });
    const table = experimentMetrics([failures]);
    assert.equal(metricValue(run, 'failed-share', undefined, {}, table), 0.5);
    assert.equal(metricValue(run, 'failed-share', undefined, { failures: { limit: 1 } }, table), 0.25);
    assert.equal(metricValue(run, 'failed-share'), undefined, 'not a metric without its checker');
    assert.equal(metricValue(run, 'p99', undefined, {}, table), metricValue(run, 'p99'));
  });
});
