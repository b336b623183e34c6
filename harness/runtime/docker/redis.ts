/** A Redis cache or session node on the docker runtime: no persistence, nothing kept across restarts. */
import { Wait } from 'testcontainers';
import { redisArgs } from '../service-settings.ts';
import type { Starter } from '../starters.ts';
import { PORT } from './containers.ts';
import type { DockerStart } from './docker-start.ts';

export const startRedisNode: Starter<DockerStart> = (name, ctx) => ({
  async start() {
    await ctx.run(name, ctx.images.redis, { redis: PORT.redis }, (c) =>
      c
        .withCommand(['redis-server', ...redisArgs({ bind: '0.0.0.0', port: PORT.redis, dir: '/tmp' })])
        .withWaitStrategy(Wait.forLogMessage(/Ready to accept connections/)),
    );
  },
});
