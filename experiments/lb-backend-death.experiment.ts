import { defineExperiment } from '../harness/index.ts';

/** A web server dies (kill -9): how fast does the LB notice, and what do users see until then? */
export default defineExperiment({
  name: 'lb-backend-death',
  description:
    'Kill -9 one of three web servers; measure failed requests, time to detect, failover and recovery.',
  topology: { web: 3, cache: 1, replicas: 1 },
  load: {
    executor: { executor: 'constant-arrival-rate', rate: 150 },
    workload: { workload: 'browse', products: 300 },
  },
  phases: { warmup: '2s', baseline: '3s', fault: '8s', recovery: '5s' },
  faults: [{ kind: 'lb-backend-death', server: 'web-2' }],
  hypotheses: ['failover-time < 3s', 'error-rate < 5% during fault'],
  checkers: ['failover-time', 'time-to-detect', 'time-to-recover'],
  variants: [
    { name: 'checks=fast', topology: { healthCheck: { intervalMs: 200, fall: 2, rise: 2 } } },
    {
      name: 'checks=haproxy-default',
      topology: { healthCheck: { intervalMs: 2000, fall: 3, rise: 2 } },
      // Three failed checks 2 s apart: users see errors for up to ~6 s.
      hypotheses: ['failover-time < 8s', 'error-rate < 30% during fault'],
    },
  ],
});
