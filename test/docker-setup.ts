/**
 * Root hook for the docker suite: it needs a Docker engine and the runtime's images. Without an engine
 * the suite is skipped with the reason — unless FAULTLINE_REQUIRE_DOCKER=1 (CI), where that fails it.
 * Missing images fail it with the command that builds them.
 */
import { createLogger } from '../harness/core/logger.ts';
import { connectEngine, ensureImages } from '../harness/runtime/docker/engine.ts';
import { images } from '../harness/runtime/docker/images.ts';

export const mochaHooks = {
  async beforeAll(this: Mocha.Context) {
    this.timeout(120_000);
    const engine = await connectEngine().catch((err: Error) => {
      if (process.env.FAULTLINE_REQUIRE_DOCKER === '1') throw err;
      process.stderr.write(`docker suite skipped: ${err.message}\n`);
      return undefined;
    });
    if (!engine) return this.skip();
    const log = createLogger('info');
    await ensureImages(engine, images(), (line) => log.info(line));
  },
};
