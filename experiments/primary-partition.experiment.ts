import { defineExperiment } from '../harness/index.ts';

/**
 * The primary is cut off from its replicas, the DCS and the operator's monitoring, but not from its
 * clients: a partition, not a crash. The old primary keeps acknowledging writes that no replica
 * receives until something stops it: the runbook fencing it at pg-write, or Patroni demoting itself
 * once it cannot renew its leader key. With asynchronous replication those writes are lost when a
 * replica takes over (these variants prove the problem is real); with synchronous replication they
 * are never acknowledged, so none is lost.
 */
export default defineExperiment({
  name: 'primary-partition',
  description:
    'Cut the PostgreSQL primary off from its replicas and the DCS, not from its clients; measure acknowledged writes lost and split brain.',
  topology: { web: 2, cache: 1, replicas: 2 },
  load: {
    executor: { executor: 'constant-arrival-rate', rate: 100 },
    workload: { workload: 'ledger', writeRatio: 0.5 },
  },
  // The fault lasts well past Patroni's leader key TTL: the failover happens inside it.
  phases: { warmup: '2s', baseline: '4s', fault: '15s', recovery: '6s' },
  faults: [{ kind: 'primary-partition' }],
  hypotheses: ['write-unavailability < 5s', 'acked-writes-lost == 0', 'split-brain-writes == 0'],
  checkers: ['write-unavailability', 'acked-writes-lost', 'split-brain'],
  variants: [
    {
      name: 'failover=manual',
      // The old primary acknowledges writes until the runbook fences it (about 1.5 s): all lost.
      topology: { failover: { manager: 'manual', probes: 3, probeInterval: 500 } },
      hypotheses: ['acked-writes-lost > 0', 'split-brain-writes == 0'],
    },
    {
      name: 'replication=sync',
      // Its commits wait for a replica that never answers: none is acknowledged, none lost.
      topology: { failover: { manager: 'manual', probes: 3, probeInterval: 500 }, replication: 'sync' },
    },
    {
      name: 'failover=patroni',
      // It acknowledges writes until it fails to renew the leader key and demotes itself: all lost.
      topology: { failover: { manager: 'patroni', patroni: { ttl: 5, loopWait: 1, retryTimeout: 2 } } },
      hypotheses: ['acked-writes-lost > 0', 'split-brain-writes == 0'],
    },
    {
      name: 'patroni.replication=sync',
      topology: {
        failover: { manager: 'patroni', patroni: { ttl: 5, loopWait: 1, retryTimeout: 2 } },
        replication: 'sync',
      },
      hypotheses: ['write-unavailability < 10s', 'acked-writes-lost == 0', 'split-brain-writes == 0'],
    },
  ],
});
