/**
 * Root hook for the integration suites: the services they start must be installed. On a fresh Debian
 * machine as root they are installed here, once; elsewhere the run stops with the exact command.
 */
import { createLogger } from '../harness/core/logger.ts';
import { ensurePrerequisites } from '../harness/runtime/local/prerequisites.ts';

export const mochaHooks = {
  async beforeAll(this: Mocha.Context) {
    this.timeout(600_000); // a first-time apt-get install can take minutes
    await ensurePrerequisites(createLogger('info'));
  },
};
