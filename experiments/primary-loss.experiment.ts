import { defineExperiment } from '../harness/index.ts';

/**
 * The primary dies (kill -9) under a write-heavy load: how long can writes not be acknowledged, and
 * does any acknowledged write go missing? Without a failover manager writes wait for the primary to
 * come back; with the manual runbook a replica is promoted and pg-write moves to it; with Patroni a
 * replica takes the leader key once it expires, and pg-write follows Patroni's REST API.
 */
export default defineExperiment({
  name: 'primary-loss',
  description:
    'Kill -9 the PostgreSQL primary under writes; measure the write outage, acknowledged writes lost and split brain.',
  topology: { web: 2, cache: 1, replicas: 2 },
  load: {
    executor: { executor: 'constant-arrival-rate', rate: 100 },
    workload: { workload: 'ledger', writeRatio: 0.5 },
  },
  // The fault lasts well past Patroni's leader key TTL: the failover happens inside it.
  phases: { warmup: '2s', baseline: '4s', fault: '15s', recovery: '6s' },
  faults: [{ kind: 'primary-kill' }],
  hypotheses: ['write-unavailability < 5s', 'acked-writes-lost == 0', 'split-brain-writes == 0'],
  checkers: ['write-unavailability', 'acked-writes-lost', 'split-brain'],
  variants: [
    {
      name: 'failover=manual',
      // Three failed probes 500 ms apart, then promote: about 2-3 s without writes.
      topology: { failover: { manager: 'manual', probes: 3, probeInterval: 500 } },
    },
    {
      name: 'replication=sync',
      // A commit waits for one replica too: the promoted one holds every acknowledged write.
      topology: { failover: { manager: 'manual', probes: 3, probeInterval: 500 }, replication: 'sync' },
    },
    {
      name: 'failover=patroni',
      // The leader key expires ttl after the leader died; then a replica takes it (about 5-6 s).
      topology: { failover: { manager: 'patroni', patroni: { ttl: 5, loopWait: 1, retryTimeout: 2 } } },
      hypotheses: ['write-unavailability < 10s', 'acked-writes-lost == 0', 'split-brain-writes == 0'],
    },
    {
      name: 'failover=none',
      // Writes wait for the primary to come back at the end of the fault: the outage is the fault.
      topology: { failover: { manager: 'none' } },
    },
  ],
});
