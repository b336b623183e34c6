/**
 * The per-phase load numbers every run has (latency percentiles, error rate, throughput), as
 * hypothesis metrics. No checker measures them: the slo checker judges the same numbers.
 */
import { type PhaseNumbers, phaseNumbers } from '../metrics/phase-numbers.ts';
import { defineMetrics, type MetricSpec } from './checker.ts';

type Numbers = ReturnType<typeof phaseNumbers>;

const numbersOf = (a: Numbers, phase: string | undefined): PhaseNumbers | null | undefined =>
  phase === undefined ? a.overall : a.phases[phase];

const latency = (
  key: 'p50' | 'p90' | 'p99' | 'p999' | 'max' | 'mean',
  description: string,
): MetricSpec<Numbers> => ({
  unit: 'ms',
  scope: 'phase',
  better: 'lower',
  description,
  resolve: (a, phase) => {
    const n = numbersOf(a, phase);
    return n && n.ok + n.fail + n.info > 0 ? n[key] : undefined;
  },
});

export const loadMetrics = defineMetrics({
  name: 'load',
  analyze: phaseNumbers,
  metrics: {
    p50: latency('p50', 'median latency (intended → done)'),
    p90: latency('p90', '90th percentile latency'),
    p99: latency('p99', '99th percentile latency'),
    p999: latency('p999', '99.9th percentile latency'),
    max: latency('max', 'highest latency'),
    mean: latency('mean', 'mean latency'),
    'error-rate': {
      unit: 'ratio',
      scope: 'phase',
      better: 'lower',
      description: '(fail + info + dropped) / all requests',
      resolve: (a, phase) => {
        const n = numbersOf(a, phase);
        return n?.requests ? n.errorRate : undefined;
      },
    },
    throughput: {
      unit: 'per-second',
      scope: 'phase',
      better: 'higher',
      description: 'requests completed per second of the phase',
      resolve: (a, phase) => numbersOf(a, phase)?.throughput,
    },
    goodput: {
      unit: 'per-second',
      scope: 'phase',
      better: 'higher',
      description: 'ok requests completed per second of the phase',
      resolve: (a, phase) => numbersOf(a, phase)?.goodput,
    },
  },
});
