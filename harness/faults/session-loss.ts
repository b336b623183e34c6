/**
 * Losing the sessions a web server holds = that server dying behind the LB (with memory sessions
 * they die with it; with Redis sessions none should be lost). Same fault as lb-backend-death under
 * the name experiments about sessions use.
 */
import { defineFault } from './fault.ts';
import { backendDeath, backendDeathParams, backendDeathTargets } from './lb-backend-death.ts';

export const sessionLoss = defineFault({
  kind: 'session-loss',
  description:
    'kills the web server holding sessions (same as lb-backend-death); healed when HAProxy has it UP',
  params: backendDeathParams,
  targets: backendDeathTargets,
  create: ({ server, signal }) => backendDeath('session-loss', server, signal),
});
