/**
 * The run journal, result.json: everything a report needs, versioned and validated on read. Reports
 * read only this file. A run writes schema version 2; a version 1 file is upgraded on read (its fault
 * records and configured load derived as they were before v2 stored them), so readers only ever see
 * version 2. Any other version is refused.
 */
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { usageError } from '../core/errors.ts';
import { describeIssues } from '../core/validation.ts';
import { runEventSchema } from '../samples/run-event.ts';
import { faultRecordSchema, faultRecords } from './faults.ts';
import { configuredLoad, configuredLoadSchema } from './load.ts';

export const RESULT_SCHEMA_VERSION = 2;

export const runStatuses = ['completed', 'aborted', 'not-steady', 'fault-not-verified', 'error'] as const;
export const verdicts = ['pass', 'fail', 'invalid'] as const;

/** The units of hypothesis metrics (MetricUnit in harness/checkers/checker.ts). */
const metricUnits = ['ms', 'ratio', 'count', 'per-second'] as const;

const hypothesisResult = z.object({
  text: z.string(),
  metric: z.string(),
  /**
   * The metric's unit, and the checker that measures it (none for the per-phase load numbers):
   * stored so that a report shows an experiment's own metric as it shows a built-in one. Absent in
   * results written before they were stored (readers then take the built-in metric's).
   */
  unit: z.enum(metricUnits).optional(),
  checker: z.string().optional(),
  phase: z.string().optional(),
  op: z.string(),
  threshold: z.number(),
  value: z.number().nullable(),
  holds: z.union([z.boolean(), z.literal('unknown')]),
});

const checkResult = z.object({
  checker: z.string(),
  valid: z.union([z.boolean(), z.literal('unknown')]),
  value: z.number().optional(),
  unit: z.enum(['ms', 'count', 'ratio']).optional(),
  summary: z.string(),
  evidence: z.record(z.string(), z.unknown()),
});

/** What versions 1 and 2 both hold. */
const common = {
  experiment: z.object({
    name: z.string(),
    description: z.string(),
    definition: z.record(z.string(), z.unknown()),
  }),
  variant: z.string().nullable(),
  status: z.enum(runStatuses),
  statusReason: z.string().optional(),
  verdict: z.enum(verdicts),
  startedAt: z.string(),
  endedAt: z.string(),
  environment: z.object({
    runtime: z.string(),
    seed: z.number(),
    durationScale: z.number(),
    gitSha: z.string().nullable(),
    node: z.string(),
    cpus: z.number(),
    versions: z.record(z.string(), z.string()),
  }),
  topology: z.object({
    /** The target it ran (absent in results from before targets: the shop). */
    target: z.string().optional(),
    /** The web app it ran, e.g. "command: python3 app.py" (absent before targets). */
    app: z.string().optional(),
    services: z.array(z.string()),
    links: z.array(z.string()),
    options: z.record(z.string(), z.unknown()),
    /** How long the topology took to start, and the chain of waits that decided it (absent before). */
    start: z
      .object({
        totalMs: z.number(),
        chain: z.array(z.object({ step: z.string(), ms: z.number() })),
      })
      .optional(),
  }),
  phases: z.array(z.object({ name: z.string(), startMs: z.number(), endMs: z.number() })),
  /** What was not back after the run (toxics left, proxies disabled, services down); empty = all healed. */
  healAudit: z.array(z.string()),
  events: z.array(runEventSchema),
  generator: z.object({ valid: z.boolean(), reason: z.string().optional() }).passthrough(),
  metrics: z.record(z.string(), z.unknown()),
  checks: z.array(checkResult),
  hypotheses: z.array(hypothesisResult),
};

const v1Schema = z.object({ schemaVersion: z.literal(1), ...common });

const v2Schema = z.object({
  schemaVersion: z.literal(RESULT_SCHEMA_VERSION),
  /** Set when readResult upgraded a v1 file: the version the file holds (a run never writes it). */
  upgradedFrom: z.literal(1).optional(),
  ...common,
  /** Every fault life in the run, in the order they began (harness/journal/faults.ts). */
  faults: z.array(faultRecordSchema),
  /**
   * The load as configured (null only for a v1 file whose experiment copy holds no load spec this
   * faultline reads); what it achieved is in `metrics` and `generator`.
   */
  load: z.object({ configured: configuredLoadSchema.nullable() }),
});

type V2Result = z.infer<typeof v2Schema>;

/** A v1 result as v2: its faults and configured load derived from its events and experiment copy. */
function upgradeV1(v1: z.infer<typeof v1Schema>): V2Result {
  return {
    ...v1,
    schemaVersion: RESULT_SCHEMA_VERSION,
    upgradedFrom: 1,
    faults: faultRecords(v1),
    load: { configured: configuredLoad(v1) },
  };
}

/** Reads version 1 or 2; gives version 2. */
export const resultSchema = z
  .discriminatedUnion('schemaVersion', [v1Schema, v2Schema])
  .transform((r): V2Result => (r.schemaVersion === 1 ? upgradeV1(r) : r));

export type RunResult = z.output<typeof resultSchema>;
export type HypothesisResult = z.infer<typeof hypothesisResult>;
export type CheckResult = z.infer<typeof checkResult>;

/** The schema version its file was written in (1 for an upgraded file): what a report says it read. */
export function writtenSchemaVersion(result: RunResult): number {
  return result.upgradedFrom ?? result.schemaVersion;
}

export async function readResult(path: string): Promise<RunResult> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(path, 'utf8'));
  } catch (err) {
    throw usageError(
      'result.read',
      `cannot read ${path}: ${(err as Error).message}`,
      'give the path of a result.json written by faultline run',
    );
  }
  const parsed = resultSchema.safeParse(json);
  if (!parsed.success) {
    throw usageError(
      'result.invalid',
      `${path} is not a faultline result: ${describeIssues(parsed.error)}`,
      `expected schemaVersion ${RESULT_SCHEMA_VERSION} (or 1, which is upgraded on read)`,
    );
  }
  return parsed.data;
}
