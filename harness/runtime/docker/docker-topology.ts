/**
 * A target's topology on the docker runtime: the same services, options, links and handles as the local
 * runtime, each service a container on the session's own network (reached by its name), every link a
 * proxy in the Toxiproxy container. The harness talks to ports published on the engine's loopback only.
 */
import { type GenericContainer, Wait } from 'testcontainers';
import { Toxiproxy } from 'toxiproxy-node-client';
import { varnishVcl } from '../../components/cdn-edge.ts';
import { type Composition, linksOf } from '../../components/composition.ts';
import { haproxyConfig } from '../../components/load-balancer.ts';
import { contractEnv, type DockerApp } from '../../components/web-app.ts';
import { usageError } from '../../core/errors.ts';
import { type Logger, silentLogger } from '../../core/logger.ts';
import { applyAppSchema } from '../app-schema.ts';
import { allServersUp, type ServerState, serverStates } from '../haproxy-api.ts';
import { waitStreaming } from '../local/postgres.ts';
import { freePorts } from '../ports.ts';
import { POSTGRES_SETTINGS, redisArgs } from '../service-settings.ts';
import { BaseTopology, together } from '../topology.ts';
import { DockerService } from './docker-service.ts';
import { DockerSession } from './docker-session.ts';
import { connectEngine, type Engine, ensureImages, imagePresent, pullImage } from './engine.ts';
import { buildAppImage } from './image-build.ts';
import { type ImageSet, images } from './images.ts';
import { LastLogLine } from './last-log-line.ts';
import { LoopbackContainer, publishAddress } from './loopback-container.ts';
import { configureRyuk } from './ryuk.ts';
import { containerStartError } from './start-errors.ts';

const PORT = { postgres: 5432, redis: 6379, web: 3000, http: 8080, stats: 9999, toxiproxy: 8474 };
/** Link proxies listen inside the Toxiproxy container from here up. */
const FIRST_LINK_PORT = 20000;
const HBA_FILE = '/etc/faultline/pg_hba.conf';
const PG_HBA = 'local all all trust\nhost all all all trust\nhost replication all all trust\n';
const START_TIMEOUT_MS = 120_000;
/** An HTTP wait gives up as soon as the container exits, rather than after START_TIMEOUT_MS. */
const EXIT_ABORTS = { abortOnContainerExit: true };

/** The port a service listens on inside its container. */
function internalPort(service: string): number {
  if (service === 'lb') return PORT.http;
  if (service.startsWith('pg-')) return PORT.postgres;
  if (service.startsWith('web-')) return PORT.web;
  return PORT.redis; // cache-N and sessions
}

export interface DockerTopologyOptions {
  log?: Logger;
}

export class DockerTopology extends BaseTopology<DockerService> {
  private readonly linkPorts = new Map<string, number>();
  private statsApi = { host: '127.0.0.1', port: 0 };

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

  lbServerStates(): Promise<ServerState[]> {
    return serverStates(this.statsApi);
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
    return this.add(service);
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

  protected async startAll(): Promise<void> {
    const { composition: c } = this;
    const toxiproxy = await this.run('toxiproxy', this.images.toxiproxy, { api: PORT.toxiproxy }, (c) =>
      c.withWaitStrategy(Wait.forHttp('/version', PORT.toxiproxy, EXIT_ABORTS)),
    );
    const api = new Toxiproxy(`http://${this.engine.host}:${toxiproxy.ports.api}`);
    const created = await api.populate(
      linksOf(c).map((l) => ({
        name: l.name,
        listen: `0.0.0.0:${this.linkPorts.get(l.name)}`,
        upstream: `${this.containerName(l.to)}:${internalPort(l.to)}`,
        enabled: true,
      })),
    );
    for (const [name, proxy] of Object.entries(created)) this.proxies.set(name, proxy);

    const dataTier = async () => {
      const primary = await this.startPostgres(c.primary);
      await applyAppSchema(primary.ports.postgres as number, c.app.schema);
      await together(
        c.replicas.map(async (name) => {
          await this.startPostgres(name, `${name}->${c.primary}`);
          await waitStreaming(primary.ports.postgres as number, name, AbortSignal.timeout(30_000));
        }),
      );
    };
    const redisNodes = [...c.caches, ...(c.sessions ? [c.sessions] : [])];
    await together([
      dataTier(),
      ...redisNodes.map((name) =>
        this.run(name, this.images.redis, { redis: PORT.redis }, (c) =>
          c
            .withCommand(['redis-server', ...redisArgs({ bind: '0.0.0.0', port: PORT.redis, dir: '/tmp' })])
            .withWaitStrategy(Wait.forLogMessage(/Ready to accept connections/)),
        ),
      ),
    ]);

    await together(c.web.map((web) => this.startWeb(web)));
    const lb = await this.run(
      'lb',
      this.images.haproxy,
      { http: PORT.http, stats: PORT.stats },
      (container) =>
        container.withCopyContentToContainer([
          {
            content: haproxyConfig({
              bind: `:${PORT.http}`,
              statsSocket: `ipv4@0.0.0.0:${PORT.stats}`,
              servers: c.web.map((web) => {
                const { host, port } = this.via(`lb->${web}`);
                return { name: web, address: `${host}:${port}` };
              }),
              healthCheck: c.lb.healthCheck,
              healthPath: c.app.healthPath,
              sticky: c.lb.sticky,
            }),
            target: '/usr/local/etc/haproxy/haproxy.cfg',
            mode: 0o644,
          },
        ]),
    );
    this.statsApi = { host: this.engine.host, port: lb.ports.stats as number };
    await allServersUp(this.statsApi, c.web.length, AbortSignal.timeout(30_000));

    const origin = this.via('cdn->lb');
    const cdn = await this.run('cdn', this.images.varnish, { http: PORT.http }, (container) =>
      container
        .withCopyContentToContainer([
          {
            content: varnishVcl({
              originHost: origin.host,
              originPort: origin.port,
              graceSeconds: c.cdn.graceSeconds,
              healthPath: c.app.healthPath,
              staticPrefix: c.app.staticPrefix,
            }),
            target: '/etc/varnish/default.vcl',
            mode: 0o644,
          },
        ])
        .withCommand([
          'varnishd',
          '-F',
          '-f',
          '/etc/varnish/default.vcl',
          '-a',
          `:${PORT.http}`,
          '-s',
          'malloc,64m',
        ])
        .withWaitStrategy(Wait.forHttp('/', PORT.http, EXIT_ABORTS).forStatusCodeMatching(() => true)),
    );
    const at = (port: number | undefined) => `http://${this.engine.host}:${port}`;
    this.endpoints = { lb: at(lb.ports.http), cdn: at(cdn.ports.http), toxiproxy: at(toxiproxy.ports.api) };
  }

  /** The primary (initdb by the image), or a replica cloned with pg_basebackup through `upstreamLink`. */
  private startPostgres(name: string, upstreamLink?: string): Promise<DockerService> {
    const settings = [
      'listen_addresses=*',
      `cluster_name=${name}`,
      `hba_file=${HBA_FILE}`,
      ...POSTGRES_SETTINGS,
    ];
    const flags = settings.flatMap((s) => ['-c', s]);
    return this.run(name, this.images.postgres, { postgres: PORT.postgres }, (c) => {
      c.withCopyContentToContainer([{ content: PG_HBA, target: HBA_FILE, mode: 0o644 }]).withWaitStrategy(
        Wait.forSuccessfulCommand(`pg_isready -h 127.0.0.1 -p ${PORT.postgres} -U postgres`),
      );
      if (!upstreamLink) {
        return c
          .withEnvironment({ POSTGRES_HOST_AUTH_METHOD: 'trust', POSTGRES_INITDB_ARGS: '--no-sync' })
          .withCommand(['postgres', ...flags]);
      }
      // Cloned once; a restarted replica keeps its data directory and resumes streaming.
      const { host, port } = this.via(upstreamLink);
      const data = '/tmp/pgdata';
      const conninfo = `host=${host} port=${port} user=postgres application_name=${name}`;
      const script = [
        'set -e',
        `if [ ! -s ${data}/PG_VERSION ]; then`,
        `  pg_basebackup -d '${conninfo}' -D ${data} -X stream -R -c fast --no-sync`,
        'fi',
        `exec postgres -D ${data} ${flags.map((f) => `'${f}'`).join(' ')}`,
      ].join('\n');
      return c.withUser('postgres').withEntrypoint(['bash', '-c', script]);
    });
  }

  /** A web-app instance: the app's image with the contract's environment, ready once its health path answers 2xx. */
  private startWeb(web: string): Promise<DockerService> {
    const { app } = this;
    const { healthPath, startTimeoutMs } = this.composition.app;
    const contract = contractEnv(this.composition, web, { host: '0.0.0.0', port: PORT.web }, (link) =>
      this.via(link),
    );
    return this.run(web, app.image, { http: PORT.web }, (c) => {
      c.withEnvironment({ ...app.env, ...contract })
        .withStartupTimeout(startTimeoutMs)
        .withWaitStrategy(
          Wait.forHttp(healthPath, PORT.web, EXIT_ABORTS).forStatusCodeMatching((s) => s >= 200 && s < 300),
        );
      if (app.mounts) c.withBindMounts(app.mounts.map((m) => ({ ...m, mode: 'ro' as const })));
      if (app.workingDir) c.withWorkingDir(app.workingDir);
      if (app.command) c.withCommand(app.command);
      return c;
    });
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
