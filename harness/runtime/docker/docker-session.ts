/**
 * A docker runtime session: one labelled network, and labels on every container, naming the session
 * and its owner process. Nothing outlives the harness: close() removes all of it; a detached watchdog
 * removes it within a second when the owner dies (Ctrl-C, SIGTERM, kill -9), as testcontainers' Ryuk
 * would where its image can be pulled; and the next session's open reaps what a dead owner left behind.
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type Dockerode from 'dockerode';
import { spawnDetached } from '../detached.ts';
import { identify, isAlive, type ProcessIdentity } from '../local/process-identity.ts';
import { networkError } from './start-errors.ts';

export const SESSION_LABEL = 'dev.faultline.session';
export const OWNER_LABEL = 'dev.faultline.owner';

export interface SessionOwner extends ProcessIdentity {
  host: string;
}

export class DockerSession {
  private constructor(
    readonly id: string,
    readonly network: string,
    readonly labels: Readonly<Record<string, string>>,
    private readonly docker: Dockerode,
    private readonly watchdog: number | undefined,
  ) {}

  /** Reaps dead sessions' leftovers, then creates this session's network and watchdog. */
  static async open(docker: Dockerode): Promise<DockerSession> {
    await reapDockerLeftovers(docker);
    const id = `${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
    const owner: SessionOwner = { ...(identify(process.pid) as ProcessIdentity), host: hostname() };
    const labels = { [SESSION_LABEL]: id, [OWNER_LABEL]: JSON.stringify(owner) };
    const network = `faultline-${id}`;
    await docker
      .createNetwork({ Name: network, Driver: 'bridge', Labels: labels, CheckDuplicate: true })
      .catch((err: unknown) => {
        throw networkError(network, err);
      });
    return new DockerSession(id, network, labels, docker, startWatchdog(id, owner));
  }

  /** Removes every container and the network of this session; stops the watchdog. */
  async close(): Promise<void> {
    await removeSession(this.docker, this.id);
    if (this.watchdog !== undefined) {
      try {
        process.kill(this.watchdog, 'SIGTERM');
      } catch {
        // already gone
      }
    }
  }
}

function sessionFilter(id?: string): string {
  return JSON.stringify({ label: [id === undefined ? SESSION_LABEL : `${SESSION_LABEL}=${id}`] });
}

/** Force-removes the session's containers (with their anonymous volumes), then its network. */
export async function removeSession(docker: Dockerode, id: string): Promise<number> {
  const containers = await docker.listContainers({ all: true, filters: sessionFilter(id) });
  await Promise.all(
    containers.map((c) =>
      docker
        .getContainer(c.Id)
        .remove({ force: true, v: true })
        .catch(() => undefined),
    ),
  );
  const networks = await docker.listNetworks({ filters: sessionFilter(id) });
  await Promise.all(
    networks.map((n) =>
      docker
        .getNetwork(n.Id)
        .remove()
        .catch(() => undefined),
    ),
  );
  return containers.length;
}

function ownerAlive(labels: Record<string, string> | undefined): boolean {
  try {
    const owner = JSON.parse(labels?.[OWNER_LABEL] ?? '') as SessionOwner;
    // Another machine's session (a shared engine) is not ours to judge.
    return owner.host !== hostname() || isAlive(owner);
  } catch {
    return false;
  }
}

/** Removes the containers and networks of every session whose owner is gone; returns how many sessions. */
export async function reapDockerLeftovers(docker: Dockerode): Promise<number> {
  const [containers, networks] = await Promise.all([
    docker.listContainers({ all: true, filters: sessionFilter() }),
    docker.listNetworks({ filters: sessionFilter() }),
  ]);
  const dead = new Set<string>();
  for (const { Labels } of [...containers, ...networks]) {
    const id = Labels?.[SESSION_LABEL];
    if (id && !ownerAlive(Labels)) dead.add(id);
  }
  for (const id of dead) await removeSession(docker, id);
  return dead.size;
}

function startWatchdog(id: string, owner: SessionOwner): number | undefined {
  return spawnDetached(new URL('./docker-watchdog.ts', import.meta.url), [id, JSON.stringify(owner)]);
}
