/** etcd on the docker runtime: the DCS Patroni keeps its leader key in, one member in the Patroni image. */
import { etcdArgs } from '../patroni-config.ts';
import type { Starter } from '../starters.ts';
import { httpReady, PORT } from './containers.ts';
import type { DockerStart } from './docker-start.ts';

export const startEtcd: Starter<DockerStart> = (name, ctx) => ({
  async start() {
    const advertise = `${ctx.containerName(name)}:${PORT.etcd}`;
    const args = etcdArgs({
      dataDir: '/var/lib/etcd/data',
      client: `0.0.0.0:${PORT.etcd}`,
      advertise,
      peerListen: `0.0.0.0:${PORT.etcdPeer}`,
      peer: `${ctx.containerName(name)}:${PORT.etcdPeer}`,
    });
    await ctx.run(name, ctx.patroniImage, { etcd: PORT.etcd }, (c) =>
      c
        .withUser('postgres')
        .withEntrypoint(['etcd', ...args])
        .withWaitStrategy(httpReady('/health', PORT.etcd)),
    );
  },
});
