/**
 * The web-app component: the stateless tier that runs N times behind the load balancer. It is the
 * shop faultline ships or the user's own application, in any language, started as a command (local
 * runtime) or an image (docker runtime), and told where everything is through the environment
 * contract (docs/targets.md).
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import { durationSchema } from '../core/duration.ts';
import { usageError } from '../core/errors.ts';
import type { Composition } from './composition.ts';

/** The user's app as an experiment file, `faultline run --app-command` or `faultline up` give it. */
export const appSpecSchema = z
  .object({
    command: z
      .array(z.string().min(1))
      .min(1)
      .optional()
      .describe('the command that starts one instance on the local runtime, e.g. ["python3", "app.py"]'),
    cwd: z.string().min(1).optional().describe('where the command runs (default: the current directory)'),
    env: z.record(z.string(), z.string()).default({}).describe('extra environment for every instance'),
    image: z.string().min(1).optional().describe('the image one instance runs on the docker runtime'),
    healthPath: z
      .string()
      .startsWith('/', { message: 'must be a path, like "/healthz"' })
      .default('/healthz')
      .describe('ready (and healthy, for the load balancer) when GET on it answers 2xx'),
    schema: z
      .string()
      .min(1)
      .optional()
      .describe('an SQL file applied to the primary before the first instance starts (relative to cwd)'),
    staticPrefix: z
      .string()
      .startsWith('/', { message: 'must be a path prefix, like "/static/"' })
      .default('/static/')
      .describe('the paths the CDN edge caches'),
    staticDir: z
      .string()
      .min(1)
      .optional()
      .describe(
        'the directory of the files the app serves under staticPrefix (relative to cwd): faultline copies it into a directory of its own, named to every instance in STATIC_DIR, so an asset-change fault can change a file the way a deploy would',
      ),
    startTimeout: durationSchema
      .default(30_000)
      .describe('how long an instance may take to become ready (ms)'),
  })
  .strict()
  .refine((app) => app.command !== undefined || app.image !== undefined, {
    message: 'give a command (local runtime) or an image (docker runtime), or both',
  });

export type AppSpecInput = z.input<typeof appSpecSchema>;
export type AppSpec = z.output<typeof appSpecSchema>;

/** Something the app needs from the OS: checked before anything starts, installed on Debian as root. */
export interface AppPrerequisite {
  name: string;
  debianPackage: string;
  present(): Promise<boolean>;
}

/** How one instance runs on the local runtime. */
export interface LocalApp {
  command: string[];
  cwd: string;
  env: Record<string, string>;
  prerequisites?: AppPrerequisite[];
}

/** How one instance runs on the docker runtime. */
export interface DockerApp {
  image: string;
  /** The image's own command when absent. */
  command?: string[];
  env: Record<string, string>;
  /** Read-only bind mounts (the shop mounts the checkout it runs its bundle from). */
  mounts?: { source: string; target: string }[];
  workingDir?: string;
  /** Built here from this directory's Dockerfile when absent or changed (a target's own image). */
  build?: { context: string };
}

export interface WebApp {
  /** "command: python3 app.py", for logs and result.json. */
  label: string;
  /** Made before a local topology starts (the shop bundles itself first). */
  local?: () => Promise<LocalApp>;
  /** Made before a docker topology starts. */
  docker?: () => Promise<DockerApp>;
  healthPath: string;
  staticPrefix: string;
  /**
   * The app's static files (an absolute directory): copied into one faultline owns and named to every
   * instance in STATIC_DIR, which the app serves staticPrefix from, reading each file when asked.
   */
  staticDir?: string;
  startTimeoutMs: number;
  /** SQL applied to the primary before any instance starts; `source` names it in errors. */
  schema?: { source: string; sql: string };
}

/** The user's app spec as the runtimes run it; a schema file that cannot be read is a usage error. */
export function webAppFrom(spec: AppSpec, base = process.cwd()): WebApp {
  const cwd = resolve(base, spec.cwd ?? '.');
  if (spec.command && !(existsSync(cwd) && statSync(cwd).isDirectory())) {
    throw usageError('app.cwd', `app cwd ${cwd} is not a directory`, 'give the directory the app runs in');
  }
  const schema = spec.schema === undefined ? undefined : readSchema(resolve(cwd, spec.schema));
  const { image, command, env } = spec;
  return {
    label: [command && `command: ${command.join(' ')}`, image && `image: ${image}`]
      .filter(Boolean)
      .join(', '),
    ...(command ? { local: async () => ({ command, cwd, env }) } : {}),
    ...(image ? { docker: async () => ({ image, env }) } : {}),
    healthPath: spec.healthPath,
    staticPrefix: spec.staticPrefix,
    ...(spec.staticDir ? { staticDir: readableDir(resolve(cwd, spec.staticDir), 'app.staticDir') } : {}),
    startTimeoutMs: spec.startTimeout,
    ...(schema ? { schema } : {}),
  };
}

function readableDir(path: string, field: string): string {
  if (!(existsSync(path) && statSync(path).isDirectory()))
    throw usageError(
      field,
      `${field} ${path} is not a directory`,
      'give the directory of the app’s static files, relative to its cwd',
    );
  return path;
}

function readSchema(path: string): { source: string; sql: string } {
  try {
    return { source: path, sql: readFileSync(path, 'utf8') };
  } catch (err) {
    throw usageError(
      'app.schema',
      `app schema ${path} cannot be read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
      'give an SQL file, relative to the app’s cwd',
    );
  }
}

export interface Endpoint {
  host: string;
  port: number;
}

/**
 * The environment one instance gets (docs/targets.md): where to listen, who it is, and each data
 * service at the address of its own link from this instance (so a fault on web-1->pg-primary hits
 * web-1 only). Names come with the addresses: an instance reports them in headers, and hashes cache
 * keys by name so every instance places a key on the same node.
 */
export function contractEnv(
  c: Composition,
  instance: string,
  listen: Endpoint,
  reach: (link: string) => Endpoint,
  /** Where this instance finds faultline's copy of the app's static files (when it has a staticDir). */
  staticDir?: string,
): Record<string, string> {
  const at = (to: string) => reach(`${instance}->${to}`);
  const postgres = (to: string) => {
    const { host, port } = at(to);
    return `postgres://postgres@${host}:${port}/postgres`;
  };
  const redis = (to: string) => {
    const { host, port } = at(to);
    return `redis://${host}:${port}`;
  };
  return {
    PORT: `${listen.port}`,
    HOST: listen.host,
    FAULTLINE_INSTANCE: instance,
    // Through the write endpoint when a failover manager may move the primary: it names what it reaches.
    DATABASE_URL: postgres(c.writeEndpoint ?? c.primary),
    DATABASE_PRIMARY_NAME: c.writeEndpoint ?? c.primary,
    DATABASE_REPLICA_URLS: c.replicas.map(postgres).join(','),
    DATABASE_REPLICA_NAMES: c.replicas.join(','),
    CACHE_REDIS_URLS: c.caches.map(redis).join(','),
    CACHE_REDIS_NAMES: c.caches.join(','),
    ...(c.sessions ? { SESSION_REDIS_URL: redis(c.sessions) } : {}),
    ...(staticDir ? { STATIC_DIR: staticDir } : {}),
  };
}
