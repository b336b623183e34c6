/**
 * The seed architecture every target builds on: a load balancer over N web instances, a PostgreSQL
 * primary with streaming replicas, Redis cache nodes, an optional Redis session store and a CDN edge
 * in front of the load balancer. Its options are the knobs every target shares; a target extends
 * them with its app's own (the shop's read-your-writes mitigation, say).
 */
import { z } from 'zod';
import { durationSchema } from '../core/duration.ts';
import type { Composition } from './composition.ts';
import type { WebApp } from './web-app.ts';

const count = (min: number, max: number, why: string) =>
  z
    .number()
    .int()
    .min(min, { message: `must be at least ${min}: ${why}` })
    .max(max, { message: `must be at most ${max} on one machine` });

export const healthCheckSchema = z
  .object({
    intervalMs: z.number().int().min(50).default(1000).describe('HAProxy health check interval (ms)'),
    fall: z.number().int().min(1).default(3).describe('failed checks before a server is DOWN'),
    rise: z.number().int().min(1).default(2).describe('passed checks before a server is UP again'),
  })
  .strict();

export const cdnSchema = z
  .object({
    graceSeconds: z
      .number()
      .int()
      .min(0)
      .default(300)
      .describe('how long the edge serves a stale copy while the origin is down (s)'),
  })
  .strict();

export const failoverSchema = z
  .object({
    manager: z
      .enum(['none', 'manual'])
      .default('none')
      .describe(
        'none: writes fail until the primary is back; manual: the harness runs an operator’s runbook (promote the most advanced replica, move pg-write, repoint the others)',
      ),
    probes: z
      .number()
      .int()
      .min(1)
      .default(3)
      .describe('failed probes of the primary before it is called dead'),
    probeInterval: durationSchema.default(500).describe('how often the runbook probes the primary (ms)'),
    promoteDelay: durationSchema
      .default(0)
      .describe('how long the operator takes from detecting to promoting (ms)'),
  })
  .strict();

export const architectureSchema = z
  .object({
    web: count(1, 16, 'the load balancer needs a web server')
      .default(3)
      .describe('web instances behind the LB'),
    cache: count(0, 8, '0 runs without a cache').default(2).describe('Redis cache nodes'),
    replicas: count(1, 8, 'reads go to replicas').default(2).describe('PostgreSQL streaming replicas'),
    sessionStore: z
      .enum(['memory', 'redis'])
      .default('redis')
      .describe('memory: the stateful tier, sessions in each instance (no session store started)'),
    sticky: z
      .boolean()
      .optional()
      .describe('the LB pins a client to one instance (default: on for memory sessions)'),
    healthCheck: healthCheckSchema.prefault({}).describe('how HAProxy checks each instance'),
    cdn: cdnSchema.prefault({}).describe('the CDN edge'),
    replication: z
      .enum(['async', 'sync'])
      .default('async')
      .describe(
        'async: a commit is acknowledged on the primary alone; sync: once one replica has it too (synchronous_standby_names ANY 1)',
      ),
    failover: failoverSchema
      .prefault({})
      .describe('who moves the primary when it dies; with a manager, writers reach it through pg-write'),
  })
  .strict();

export type ArchitectureOptions = z.output<typeof architectureSchema>;

const numbered = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}-${i + 1}`);

/** The services of the seed architecture for these options, running `app` as its web tier. */
export function composeArchitecture(
  target: string,
  options: ArchitectureOptions & Record<string, unknown>,
  app: WebApp,
): Composition {
  return {
    target,
    options: { ...options, sticky: options.sticky ?? options.sessionStore === 'memory' },
    primary: 'pg-primary',
    replicas: numbered('pg-replica', options.replicas),
    writeEndpoint: options.failover.manager === 'none' ? undefined : 'pg-write',
    replication: options.replication,
    failover: {
      manager: options.failover.manager,
      probes: options.failover.probes,
      probeIntervalMs: options.failover.probeInterval,
      promoteDelayMs: options.failover.promoteDelay,
    },
    caches: numbered('cache', options.cache),
    sessions: options.sessionStore === 'redis' ? 'sessions' : undefined,
    web: numbered('web', options.web),
    app,
    lb: { healthCheck: options.healthCheck, sticky: options.sticky ?? options.sessionStore === 'memory' },
    cdn: { graceSeconds: options.cdn.graceSeconds },
  };
}
