import { defineExperiment } from '../harness/index.ts';

/**
 * Data changes behind the cache: another writer (an admin job) changes the hottest products once a
 * second each while users browse them. When it writes the database directly nothing tells the
 * cache, so reads stay stale until the TTL expires (this variant proves the problem is real); when
 * it writes through the app, the app deletes or updates the cached copy on write.
 */
export default defineExperiment({
  name: 'cache-staleness',
  description:
    'Change hot products behind the Redis cache; measure stale reads and how long after a change they were served, against the TTL.',
  topology: { web: 2, cache: 1, replicas: 1, cacheTtl: 5 },
  load: {
    executor: { executor: 'constant-arrival-rate', rate: 200 },
    workload: { workload: 'browse', products: 1000 },
  },
  phases: { warmup: '2s', baseline: '3s', fault: '12s', recovery: '3s' },
  // Products 1..5 (the hottest: ~30 % of views) change in turn every 200 ms: each once a second.
  faults: [{ kind: 'writes-behind-cache', products: 5, interval: 200, via: 'app' }],
  // Deleting or updating on write leaves one race: a read that missed just before the write refills
  // the cache from a replica that has not replayed it yet, and that old copy lives until the next
  // write (here about a second), not the TTL. Measured: none on a quiet machine, a few % under load.
  hypotheses: [
    'cache-stale-read-rate < 10% during fault',
    'staleness-age-max < 2s during fault',
    'error-rate < 1% during fault',
  ],
  checkers: ['cache-staleness'],
  variants: [
    {
      name: 'writes=behind-the-cache',
      // The database changes and nobody tells the cache: stale until the 5 s TTL, never longer.
      faults: [{ kind: 'writes-behind-cache', products: 5, interval: 200, via: 'database' }],
      hypotheses: ['cache-stale-read-rate > 10% during fault', 'staleness-age-max < 6s during fault'],
    },
    // The shop deletes the cached copy on write (cache-aside).
    { name: 'writes=invalidate' },
    // The shop writes the new value into the cache on write.
    { name: 'writes=update', topology: { mitigation: 'write-through-cache' } },
  ],
});
