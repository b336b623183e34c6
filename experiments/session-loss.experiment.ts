import { defineExperiment } from '../harness/index.ts';

/** The same backend death, with sessions in the web server's memory vs in Redis: who has to log in again? */
export default defineExperiment({
  name: 'session-loss',
  description: 'Kill -9 a web server while shoppers keep carts in their sessions; count sessions lost.',
  topology: { web: 2, cache: 0, replicas: 1, healthCheck: { intervalMs: 200, fall: 2, rise: 2 } },
  load: {
    executor: { executor: 'session-users', users: 40, pacing: '500ms' },
    workload: { workload: 'cart-journey' },
  },
  phases: { warmup: '2s', baseline: '3s', fault: '5s', recovery: '3s' },
  faults: [{ kind: 'session-loss', server: 'web-1' }],
  steadyState: ['error-rate < 1% during baseline'],
  hypotheses: ['sessions-lost == 0'],
  checkers: ['sessions-lost'],
  variants: [
    // The stateful tier must lose sessions with its server: this variant proves the problem is real.
    { name: 'sessions=memory', topology: { sessionStore: 'memory' }, hypotheses: ['sessions-lost > 0'] },
    { name: 'sessions=redis', topology: { sessionStore: 'redis' } },
  ],
});
