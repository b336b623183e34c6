/**
 * The shop topology: which services exist for given options and which links (each a Toxiproxy proxy
 * named "<from>-><to>") join them. Runtimes start exactly this, whatever they run it on.
 */
import { z } from 'zod';
import { parseOrThrow } from '../../harness/core/validation.ts';
import type { Endpoint, ShopConfigInput } from './src/config.ts';

export const mitigations = ['none', 'primary-after-write', 'lsn', 'write-through-cache'] as const;
export type Mitigation = (typeof mitigations)[number];

const count = (min: number, max: number, why: string) =>
  z
    .number()
    .int()
    .min(min, { message: `must be at least ${min}: ${why}` })
    .max(max, { message: `must be at most ${max} on one machine` });

export const shopTopologySchema = z
  .object({
    web: count(1, 16, 'the load balancer needs a web server').default(3),
    cache: count(0, 8, '0 runs without a cache').default(2),
    replicas: count(1, 8, 'reads go to replicas').default(2),
    sessionStore: z.enum(['memory', 'redis']).default('redis'),
    /** Pin clients to one web server; defaults to on for memory sessions (the stateful tier needs it). */
    sticky: z.boolean().optional(),
    mitigation: z.enum(mitigations).default('none'),
    healthCheck: z
      .object({
        intervalMs: z.number().int().min(50).default(1000),
        fall: z.number().int().min(1).default(3),
        rise: z.number().int().min(1).default(2),
      })
      .strict()
      .prefault({}),
    cdn: z
      .object({
        graceSeconds: z.number().int().min(0).default(300),
        staticMaxAgeSeconds: z.number().int().min(0).default(5),
      })
      .strict()
      .prefault({}),
  })
  .strict();

export type ShopTopologyInput = z.input<typeof shopTopologySchema>;
export type ShopTopology = z.output<typeof shopTopologySchema> & { sticky: boolean };

export function shopTopology(input: ShopTopologyInput = {}): ShopTopology {
  const options = parseOrThrow(
    shopTopologySchema,
    input,
    'topology options',
    'topology.options',
    'fix the listed options',
  );
  return { ...options, sticky: options.sticky ?? options.sessionStore === 'memory' };
}

export interface ServiceNames {
  web: string[];
  caches: string[];
  replicas: string[];
  primary: string;
  sessions: string | undefined;
}

export function serviceNames(t: ShopTopology): ServiceNames {
  const numbered = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}-${i + 1}`);
  return {
    web: numbered('web', t.web),
    caches: numbered('cache', t.cache),
    replicas: numbered('pg-replica', t.replicas),
    primary: 'pg-primary',
    sessions: t.sessionStore === 'redis' ? 'sessions' : undefined,
  };
}

export interface LinkSpec {
  name: string;
  from: string;
  to: string;
}

/** Every network path between two services; the load generator talks to lb and cdn directly. */
export function links(t: ShopTopology): LinkSpec[] {
  const names = serviceNames(t);
  const link = (from: string, to: string): LinkSpec => ({ name: `${from}->${to}`, from, to });
  const result: LinkSpec[] = [link('cdn', 'lb')];
  for (const web of names.web) {
    result.push(link('lb', web), link(web, names.primary));
    for (const replica of names.replicas) result.push(link(web, replica));
    for (const cache of names.caches) result.push(link(web, cache));
    if (names.sessions) result.push(link(web, names.sessions));
  }
  for (const replica of names.replicas) result.push(link(replica, names.primary));
  return result;
}

/**
 * The config one web server of the topology runs with: it listens at `listen` and reaches each data
 * service through its own link, at the address `reach` gives for a link name ("web-1->pg-primary").
 */
export function webConfig(
  t: ShopTopology,
  web: string,
  listen: Endpoint,
  reach: (link: string) => Endpoint,
): ShopConfigInput {
  const names = serviceNames(t);
  const via = (to: string) => ({ name: to, ...reach(`${web}->${to}`) });
  return {
    name: web,
    ...listen,
    primary: via(names.primary),
    replicas: names.replicas.map(via),
    caches: names.caches.map(via),
    sessionStore: t.sessionStore,
    ...(names.sessions ? { sessionRedis: via(names.sessions) } : {}),
    mitigation: t.mitigation,
    staticMaxAgeSeconds: t.cdn.staticMaxAgeSeconds,
  };
}
