/** A web-app instance on the docker runtime: the app's image with the contract's environment, ready once its health path answers 2xx. */
import { contractEnv } from '../../components/web-app.ts';
import type { Starter } from '../starters.ts';
import { httpReady, PORT } from './containers.ts';
import type { DockerStart } from './docker-start.ts';
import { DOCKER_STATIC_DIR } from './static-files.ts';

export const startWebApp: Starter<DockerStart> = (name, ctx) => ({
  async start() {
    const { app } = ctx;
    const { healthPath, startTimeoutMs } = ctx.composition.app;
    const { staticDir } = ctx.composition.app;
    const contract = contractEnv(
      ctx.composition,
      name,
      { host: '0.0.0.0', port: PORT.web },
      (link) => ctx.reach(link),
      staticDir && DOCKER_STATIC_DIR,
    );
    await ctx.run(name, app.image, { http: PORT.web }, (c) => {
      c.withEnvironment({ ...app.env, ...contract })
        .withStartupTimeout(startTimeoutMs)
        .withWaitStrategy(httpReady(healthPath, PORT.web));
      if (staticDir) c.withCopyDirectoriesToContainer([{ source: staticDir, target: DOCKER_STATIC_DIR }]);
      if (app.mounts) c.withBindMounts(app.mounts.map((m) => ({ ...m, mode: 'ro' as const })));
      if (app.workingDir) c.withWorkingDir(app.workingDir);
      if (app.command) c.withCommand(app.command);
      return c;
    });
  },
});
