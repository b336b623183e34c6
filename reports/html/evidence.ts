/**
 * Checker evidence as the report reads it. result.json keeps evidence as free-form JSON, so each
 * shape is checked here (leniently: only the fields drawn, extra fields ignored) before a section
 * uses it; a section whose evidence does not parse says so instead of breaking the report.
 */
import { z } from 'zod';

const n = z.number();
const nn = z.number().nullable();
const bars = z.array(z.object({ le: n, count: n }));

const staleCounts = z.object({
  reads: n,
  stale: n,
  staleRate: nn,
  concurrent: n,
  failed: n,
  rywViolations: n,
  monotonicViolations: n,
});

export const staleReadsEvidence = staleCounts.extend({
  byPhase: z.record(z.string(), staleCounts),
  ageMs: z.object({ p50: nn, p99: nn, max: nn, histogram: bars }),
  versionsBehind: z.object({ max: nn, histogram: bars }),
  staleSamples: z.array(z.record(z.string(), z.unknown())),
  omitted: z.object({ stale: n, monotonic: n }).partial().optional(),
  maxRate: n.optional(),
});

export const failoverEvidence = z.object({
  settleMs: n,
  maxFailoverMs: nn,
  maxMs: n.optional(),
  faults: z.array(
    z.object({
      fault: z.string(),
      actuatedAt: n,
      healedAt: n.optional(),
      failoverMs: nn,
      settled: z.boolean(),
      failures: n,
      requests: n,
      firstFailureMs: nn,
      lastFailureDoneMs: nn,
      byCause: z.record(z.string(), n),
    }),
  ),
});

export const detectEvidence = z.object({
  maxDetectMs: nn,
  maxMs: n.optional(),
  faults: z.array(
    z.object({
      fault: z.string(),
      server: z.string(),
      actuatedAt: n,
      healedAt: n.optional(),
      result: z.string(),
      detectMs: nn,
      statuses: z.array(z.object({ atMs: n, status: z.string() })),
    }),
  ),
});

export const recoverEvidence = z.object({
  bucketWidthMs: n,
  maxRecoverMs: nn,
  maxMs: n.optional(),
  slo: z.object({ maxErrorRate: n, maxP99Ms: n.optional(), buckets: n }),
  faults: z.array(
    z.object({ fault: z.string(), healedAt: n, result: z.string(), recoverMs: nn, bucketsObserved: n }),
  ),
});

const sessionCounts = z.object({
  logins: n,
  cartRequests: n,
  lost: n,
  forcedRelogins: n,
  unauthenticated: n,
});

export const sessionsEvidence = sessionCounts.extend({
  usersAffected: n,
  users: n,
  maxLost: n.optional(),
  byPhase: z.record(z.string(), sessionCounts),
  losses: z.array(
    z.object({
      sessionId: z.string(),
      loggedInAt: n,
      loginServedBy: z.string().optional(),
      lostAt: n,
      request: z.string(),
      servedBy: z.string().optional(),
      phase: z.string().optional(),
    }),
  ),
  omittedLosses: n.optional(),
});

const cdnKind = z.object({ requests: n, ok: n, availability: nn, hits: n, servedFromCache: nn });

export const cacheEvidence = z.object({
  app: z.object({
    byPhase: z.record(
      z.string(),
      z.object({
        hits: n,
        misses: n,
        errors: n,
        hitRatio: nn,
        dbReads: n,
        dbReadsPerSec: nn,
        dbReadsByNode: z.record(z.string(), n),
      }),
    ),
    lookups: n,
    dip: nn,
    dbSurge: nn,
    faultBucketMin: nn,
    baselineHitRatio: nn,
    rewarm: z.array(z.object({ fault: z.string(), healedAt: n, rewarmMs: nn, bucketsObserved: n })),
  }),
  cdn: z.object({
    samples: n,
    byPhase: z.record(z.string(), z.object({ cacheable: cdnKind, uncached: cdnKind, servedFromCache: nn })),
  }),
});

const phaseNumbers = z.object({
  requests: n,
  errorRate: n,
  throughput: nn,
  p50: n,
  p99: n,
  max: n,
});

export const sloEvidence = z.object({
  phases: z.record(z.string(), phaseNumbers),
  violations: z.array(z.object({ phase: z.string(), metric: z.string(), value: nn, limit: n })),
  thresholds: z.record(z.string(), z.record(z.string(), n)).optional(),
});

/** The evidence in `schema`'s shape, or undefined when it is not (an older or edited result). */
export function evidenceOf<S extends z.ZodType>(
  check: { evidence: Record<string, unknown> } | undefined,
  schema: S,
): z.output<S> | undefined {
  if (!check) return undefined;
  const parsed = schema.safeParse(check.evidence);
  return parsed.success ? parsed.data : undefined;
}
