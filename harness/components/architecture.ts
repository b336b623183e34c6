/**
 * The seed architecture every target builds on: a load balancer over N web instances, a PostgreSQL
 * primary with streaming replicas, Redis cache nodes, an optional Redis session store and a CDN edge
 * in front of the load balancer. Its options are the knobs every target shares; a target extends
 * them with its app's own (the shop's read-your-writes mitigation, say).
 */
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { durationSchema } from '../core/duration.ts';
import { usageError } from '../core/errors.ts';
import { SENTINELS } from './cache-failover.ts';
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

/**
 * How long an app keeps a product in its Redis cache, for targets whose app takes it (the shop,
 * pyshop): a topology option, so an experiment can set the TTL its staleness is judged against.
 */
export const cacheTtlSchema = z
  .number()
  .int()
  .min(1, { message: 'must be at least 1 s: a product the cache kept for 0 s was never cached' })
  .max(86_400)
  .default(30)
  .describe('how long a product stays in the Redis cache after it was read (s)');

const seconds = (fallback: number, what: string) => z.number().int().min(1).default(fallback).describe(what);

/** Patroni's own settings (its bootstrap DCS configuration), with its own rule checked up front. */
export const patroniSchema = z
  .object({
    ttl: seconds(10, 'the leader key’s time to live: a dead leader is replaced after about this long (s)'),
    loopWait: seconds(1, 'how long each Patroni sleeps between checks (s)'),
    retryTimeout: seconds(3, 'how long Patroni retries the DCS and PostgreSQL before demoting itself (s)'),
    maximumLagOnFailover: z
      .number()
      .int()
      .min(0)
      .default(1_048_576)
      .describe('a replica further behind than this many bytes is never promoted'),
  })
  .strict()
  .refine((p) => p.loopWait + 2 * p.retryTimeout <= p.ttl, {
    message: 'Patroni requires loopWait + 2 × retryTimeout ≤ ttl',
    path: ['ttl'],
  });

export const failoverSchema = z
  .object({
    manager: z
      .enum(['none', 'manual', 'patroni'])
      .default('none')
      .describe(
        'none: writes fail until the primary is back; manual: the harness runs an operator’s runbook (promote the most advanced replica, move pg-write, repoint the others); patroni: Patroni on every node with etcd, pg-write asks each node’s REST API who is primary',
      ),
    probes: z
      .number()
      .int()
      .min(1)
      .default(3)
      .describe('manual: failed probes of the primary before it is called dead'),
    probeInterval: durationSchema
      .default(500)
      .describe('manual: how often the runbook probes the primary; pg-write’s check interval (ms)'),
    promoteDelay: durationSchema
      .default(0)
      .describe('manual: how long the operator takes from detecting to promoting (ms)'),
    patroni: patroniSchema.prefault({}).describe('patroni: its timing settings'),
  })
  .strict();

export const cacheFailoverSchema = z
  .object({
    manager: z
      .enum(['none', 'sentinel'])
      .default('none')
      .describe(
        'none: a dead cache node is gone until it is back; sentinel: each cache node is a master and a replica behind an HAProxy that routes to the master, with three Redis Sentinels that promote the replica',
      ),
    downAfter: durationSchema
      .default(1000)
      .describe('sentinel: how long a master may not answer before the Sentinels call it down (ms)'),
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
    cacheFailover: cacheFailoverSchema
      .prefault({})
      .describe('who promotes a cache node’s replica when its master dies'),
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
  if (options.cacheFailover.manager === 'sentinel' && options.cache === 0) {
    throw usageError(
      'topology.cacheFailover',
      'cacheFailover.manager sentinel needs a cache node to watch, and the topology has cache: 0',
      'give cache ≥ 1, or leave cacheFailover out',
    );
  }
  return {
    target,
    options: { ...options, sticky: options.sticky ?? options.sessionStore === 'memory' },
    primary: 'pg-primary',
    replicas: numbered('pg-replica', options.replicas),
    writeEndpoint: options.failover.manager === 'none' ? undefined : 'pg-write',
    dcs: options.failover.manager === 'patroni' ? 'etcd' : undefined,
    replication: options.replication,
    failover: {
      manager: options.failover.manager,
      probes: options.failover.probes,
      probeIntervalMs: options.failover.probeInterval,
      promoteDelayMs: options.failover.promoteDelay,
      patroni: options.failover.patroni,
    },
    caches: numbered('cache', options.cache),
    cacheFailover:
      options.cacheFailover.manager === 'sentinel'
        ? { sentinels: [...SENTINELS], downAfterMs: options.cacheFailover.downAfter }
        : undefined,
    sessions: options.sessionStore === 'redis' ? 'sessions' : undefined,
    web: numbered('web', options.web),
    app,
    lb: { healthCheck: options.healthCheck, sticky: options.sticky ?? options.sessionStore === 'memory' },
    // A token per topology: only who started it (a deploy pipeline, here the harness) may invalidate.
    cdn: { graceSeconds: options.cdn.graceSeconds, invalidateToken: randomBytes(16).toString('hex') },
  };
}
