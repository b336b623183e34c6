import { defineExperiment } from '../harness/index.ts';

/**
 * The one cache node's master dies under product browsing. Without a replica the cache is gone
 * until the node is back: every read falls through to the database for the whole fault. With
 * Redis Sentinel the replica is promoted (1 s to call the master down, a moment to elect and
 * promote, 0.6 s for the endpoint's checks) and it already holds the hot keys, so hits come back.
 * The heal restarts the old master, which comes back empty and says it is a master until the
 * Sentinels demote it: the endpoint may then route to both for a while (this setup's known hazard).
 */
export default defineExperiment({
  name: 'cache-failover',
  description:
    'Kill the cache’s master under load, without a replica and with Redis Sentinel promoting one; measure the hit-ratio dip, database reads and re-warm time.',
  topology: { web: 2, cache: 1, replicas: 1 },
  load: {
    executor: { executor: 'constant-arrival-rate', rate: 150 },
    workload: { workload: 'browse', products: 300 },
  },
  // Recovery is long enough to see the restarted old master come back empty, until the Sentinels
  // make it a replica (some 8 to 15 s later).
  phases: { warmup: '3s', baseline: '3s', fault: '8s', recovery: '16s' },
  faults: [{ kind: 'cache-node-loss', node: 'cache-1' }],
  hypotheses: ['error-rate < 1% during fault'],
  checkers: ['cache-effect'],
  variants: [
    // The cache is gone for the whole fault: the dip is the whole hit ratio.
    { name: 'failover=none', hypotheses: ['hit-ratio-dip > 70%', 'error-rate < 1% during fault'] },
    {
      name: 'failover=sentinel',
      topology: { cacheFailover: { manager: 'sentinel' } },
      faults: [{ kind: 'cache-master-kill', node: 'cache-1' }],
      // About 2 s without a cache (1.4 s to promote, 0.6 s for the endpoint's checks), then hits.
      hypotheses: ['hit-ratio-dip < 60%', 'error-rate < 1% during fault'],
    },
  ],
});
