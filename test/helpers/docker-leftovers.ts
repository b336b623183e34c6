/** What a docker spec left behind: faultline's containers and networks, by their session label. */
import { SESSION_LABEL } from '../../harness/runtime/docker/docker-session.ts';
import { connectEngine } from '../../harness/runtime/docker/engine.ts';

export /** Containers + networks of session `id`, or of any faultline session. */
async function sessionLeftovers(id?: string): Promise<number> {
  const { docker } = await connectEngine();
  const filters = JSON.stringify({ label: [id === undefined ? SESSION_LABEL : `${SESSION_LABEL}=${id}`] });
  const [containers, networks] = await Promise.all([
    docker.listContainers({ all: true, filters }),
    docker.listNetworks({ filters }),
  ]);
  return containers.length + networks.length;
}
