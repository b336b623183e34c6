import { defineExperiment } from '../harness/index.ts';

/**
 * Replication lags behind writes: does a user read their own write? The same run with each
 * read-your-writes mitigation shows what each one buys.
 */
export default defineExperiment({
  name: 'replica-lag',
  description: 'Latency on the replication links; users write a product then read it back through the LB.',
  topology: { web: 2, cache: 0, replicas: 2, mitigation: 'none' },
  load: {
    executor: { executor: 'constant-arrival-rate', rate: 40 },
    workload: { workload: 'read-after-write', products: 200 },
  },
  phases: { warmup: '2s', baseline: '3s', fault: '5s', recovery: '4s' },
  faults: [{ kind: 'replica-lag', latency: '800ms' }],
  hypotheses: ['stale-read-rate < 1% during fault', 'error-rate < 1% during fault'],
  checkers: ['stale-reads'],
  variants: [
    // Without a mitigation the lag must show: this variant proves the problem is real.
    {
      name: 'mitigation=none',
      topology: { mitigation: 'none' },
      hypotheses: ['stale-read-rate > 0% during fault', 'error-rate < 1% during fault'],
    },
    { name: 'mitigation=primary-after-write', topology: { mitigation: 'primary-after-write' } },
    { name: 'mitigation=lsn', topology: { mitigation: 'lsn' } },
    { name: 'mitigation=write-through-cache', topology: { mitigation: 'write-through-cache', cache: 1 } },
  ],
});
