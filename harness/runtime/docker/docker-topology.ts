/**
 * A target's topology on the docker runtime: the same services, options, links and handles as the local
 * runtime, each service a container on the session's own network (reached by its name), every link a
 * proxy in the Toxiproxy container. The harness talks to ports published on the engine's loopback only.
 */

import { fileURLToPath } from 'node:url';
import type { GenericContainer } from 'testcontainers';
import type { Composition } from '../../components/composition.ts';
import type { DockerApp } from '../../components/web-app.ts';
import { usageError } from '../../core/errors.ts';
import { type Logger, silentLogger } from '../../core/logger.ts';
import { freePorts } from '../ports.ts';
import { BaseTopology } from '../topology.ts';
import { DockerService } from './docker-service.ts';
import { DockerSession } from './docker-session.ts';
import { type DockerStart, dockerStarters } from './docker-start.ts';
import { connectEngine, type Engine, ensureImages, imagePresent, pullImage } from './engine.ts';
import { buildAppImage } from './image-build.ts';
import { type ImageSet, images } from './images.ts';
import { LastLogLine } from './last-log-line.ts';
import { LoopbackContainer, publishAddress } from './loopback-container.ts';
import { configureRyuk } from './ryuk.ts';
import { containerStartError } from './start-errors.ts';
import { dockerStaticFiles } from './static-files.ts';

const START_TIMEOUT_MS = 120_000;
/** Link proxies listen inside the Toxiproxy container from here up. */
const FIRST_LINK_PORT = 20000;

export interface DockerTopologyOptions {
  log?: Logger;
}

/** Patroni has no official image: made on the engine from images/patroni/ (on Debian, or our own base). */
const PATRONI_IMAGE = 'faultline/patroni:pg15';
const PATRONI_CONTEXT = fileURLToPath(new URL('./images/patroni/', import.meta.url));

export class DockerTopology extends BaseTopology<DockerService, DockerStart> {
  private readonly linkPorts = new Map<string, number>();

  private constructor(
    composition: Composition,
    private readonly engine: Engine,
    private readonly images: ImageSet,
    private readonly app: DockerApp,
    private readonly session: DockerSession,
    log: Logger,
  ) {
    super(composition, log);
    for (const [i, link] of this.linkNames.entries()) this.linkPorts.set(link, FIRST_LINK_PORT + i);
    if (composition.app.staticDir)
      this.staticFiles = dockerStaticFiles(composition.app.staticDir, () =>
        composition.web.flatMap((name) => this.services.get(name) ?? []),
      );
  }

  static async start(
    composition: Composition,
    { log = silentLogger }: DockerTopologyOptions = {},
  ): Promise<DockerTopology> {
    const app = dockerAppOf(composition);
    const engine = await connectEngine();
    const dockerApp = await app();
    const set = images();
    await configureRyuk(engine, log);
    await ensureImages(engine, set, (line) => log.info(line));
    if (dockerApp.build)
      await buildAppImage(engine, dockerApp.image, dockerApp.build.context, (line) => log.info(line));
    await ensureAppImage(engine, dockerApp.image, log);
    if (composition.dcs)
      await buildAppImage(engine, PATRONI_IMAGE, PATRONI_CONTEXT, (line) => log.info(line));
    const session = await DockerSession.open(engine.docker);
    return new DockerTopology(composition, engine, set, dockerApp, session, log).startOrStop();
  }

  /** The session's docker network (containers reach each other only there). */
  get network(): string {
    return this.session.network;
  }

  /** The engine's version and the image each service runs. */
  async versions(): Promise<Record<string, string>> {
    return { 'docker engine': this.engine.version, ...this.images };
  }

  /** Removes every container and the network. */
  protected async release(): Promise<void> {
    await this.session.close();
  }

  /** A container of this session on its network, reachable by `name`, with host ports bound up front. */
  private async run(
    name: string,
    image: string,
    ports: Record<string, number>,
    configure: (c: GenericContainer) => GenericContainer,
  ): Promise<DockerService> {
    const roles = Object.keys(ports);
    const hostPorts = await freePorts(roles.length);
    const bound = Object.fromEntries(roles.map((role, i) => [role, hostPorts[i] as number]));
    const lastLog = new LastLogLine();
    const container = configure(
      new LoopbackContainer(image, publishAddress(this.engine.host))
        .withLogConsumer(lastLog.follow)
        .withName(this.containerName(name))
        .withNetworkMode(this.session.network)
        .withLabels({ ...this.session.labels })
        .withExposedPorts(
          ...roles.map((role) => ({ container: ports[role] as number, host: bound[role] as number })),
        )
        .withStartupTimeout(START_TIMEOUT_MS),
    );
    // testcontainers 12 reads a container's logs over an unref'd socket (also for the last logs of
    // one that exited during its wait): with nothing else pending, Node exits mid-start with an
    // unsettled await (exit 13) instead of reporting the failure. Hold the loop open until it settles.
    const keepAlive = setInterval(() => {}, 60_000);
    const started = await container
      .start()
      .catch(async (err: unknown) => {
        const line = await lastLog.orFrom(this.engine.docker.getContainer(this.containerName(name)));
        throw containerStartError(name, err, line);
      })
      .finally(() => {
        clearInterval(keepAlive);
        lastLog.close();
      });
    const service = new DockerService(name, started.getId(), this.engine.docker, this.engine.host, bound);
    this.services.set(name, service);
    return service;
  }

  /**
   * The container's name, which the session network's DNS resolves. (Names, not network aliases:
   * testcontainers attaches a container with aliases to the default bridge too, and containers must
   * reach each other only on the session's own network.)
   */
  containerName(service: string): string {
    return `faultline-${this.session.id}-${service}`;
  }

  /** host:port where a service reaches `link` (its proxy in the Toxiproxy container). */
  private via(link: string): { host: string; port: number } {
    return { host: this.containerName('toxiproxy'), port: this.linkPorts.get(link) as number };
  }

  protected starters() {
    const context: DockerStart = {
      ...this.sharedContext(),
      images: this.images,
      app: this.app,
      engineHost: this.engine.host,
      patroniImage: PATRONI_IMAGE,
      sessionId: this.session.id,
      run: (name, image, ports, configure) => this.run(name, image, ports, configure),
      reach: (link) => this.via(link),
      // The Toxiproxy container publishes the links the harness connects through.
      harnessReach: (link) => ({
        host: this.engine.host,
        port: this.service('toxiproxy').ports[link] as number,
      }),
      containerName: (service) => this.containerName(service),
      // Each service publishes its one main port first.
      hostPort: (service) => Object.values(this.service(service).ports)[0] as number,
    };
    return { starters: dockerStarters, context };
  }
}

/** How the composition's web app runs here; a usage error (exit 2) when it has no image. */
export function dockerAppOf(c: Composition): () => Promise<DockerApp> {
  if (!c.app.docker) {
    throw usageError(
      'app.image',
      `the web app (${c.app.label}) has no image for the docker runtime`,
      'give the app an image (--app-image registry/app:tag), or run it with --runtime local',
    );
  }
  return c.app.docker;
}

/** The app's image is on the engine, or pulled now; otherwise a usage error before anything starts. */
async function ensureAppImage(engine: Engine, image: string, log: Logger): Promise<void> {
  if (await imagePresent(engine.docker, image)) return;
  if (await pullImage(engine, image, (line) => log.info(line))) return;
  throw usageError(
    'app.image',
    `the app's image ${image} is not on the engine and cannot be pulled`,
    `build it here (docker build -t ${image} .) or give an image the engine has`,
  );
}

export function startDockerTopology(
  composition: Composition,
  options?: DockerTopologyOptions,
): Promise<DockerTopology> {
  return DockerTopology.start(composition, options);
}
