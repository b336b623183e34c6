import { defineExperiment } from '../harness/index.ts';

/** A cache node dies: reads must fall through to the database, not fail; the cache re-warms after. */
export default defineExperiment({
  name: 'cache-node-loss',
  description:
    'Kill one of two Redis cache nodes under product browsing; measure errors, latency and the hit-ratio dip.',
  topology: { web: 2, cache: 2, replicas: 1 },
  load: {
    executor: { executor: 'constant-arrival-rate', rate: 150 },
    workload: { workload: 'browse', products: 300 },
  },
  phases: { warmup: '3s', baseline: '3s', fault: '5s', recovery: '4s' },
  faults: [{ kind: 'cache-node-loss', node: 'cache-1' }],
  hypotheses: ['error-rate < 1% during fault', 'p99 < 500ms during fault'],
  checkers: ['cache-effect'],
});
