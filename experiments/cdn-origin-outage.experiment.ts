import { defineExperiment } from '../harness/index.ts';

/** The CDN loses its origin: cached assets keep being served (stale if need be), uncached ones fail. */
export default defineExperiment({
  name: 'cdn-origin-outage',
  description:
    'Disable the edge→origin link; measure availability of cached vs uncached assets and the origin surge after.',
  topology: { web: 1, cache: 0, replicas: 1 },
  load: {
    executor: { executor: 'constant-arrival-rate', rate: 100 },
    workload: { workload: 'static-assets', uncachedShare: 0.2 },
  },
  phases: { warmup: '2s', baseline: '3s', fault: '5s', recovery: '4s' },
  faults: [{ kind: 'cdn-origin-outage' }],
  // Varnish's health probe needs two good checks (~2 s) before it fetches from the origin again, so
  // uncached assets keep failing briefly into the recovery.
  hypotheses: ['cached-error-rate < 1% during fault', 'error-rate < 10% during recovery'],
  checkers: ['cache-effect'],
});
