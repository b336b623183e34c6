/**
 * The run journal, result.json: everything a report needs, versioned and validated on read. Reports
 * read only this file.
 */
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { usageError } from '../core/errors.ts';
import { describeIssues } from '../core/validation.ts';
import { runEventSchema } from '../samples/run-event.ts';

export const RESULT_SCHEMA_VERSION = 1;

export const runStatuses = ['completed', 'aborted', 'not-steady', 'fault-not-verified', 'error'] as const;
export const verdicts = ['pass', 'fail', 'invalid'] as const;

const hypothesisResult = z.object({
  text: z.string(),
  metric: z.string(),
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

export const resultSchema = z.object({
  schemaVersion: z.literal(RESULT_SCHEMA_VERSION),
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
  }),
  phases: z.array(z.object({ name: z.string(), startMs: z.number(), endMs: z.number() })),
  /** What was not back after the run (toxics left, proxies disabled, services down); empty = all healed. */
  healAudit: z.array(z.string()),
  events: z.array(runEventSchema),
  generator: z.object({ valid: z.boolean(), reason: z.string().optional() }).passthrough(),
  metrics: z.record(z.string(), z.unknown()),
  checks: z.array(checkResult),
  hypotheses: z.array(hypothesisResult),
});

export type RunResult = z.infer<typeof resultSchema>;
export type HypothesisResult = z.infer<typeof hypothesisResult>;
export type CheckResult = z.infer<typeof checkResult>;

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
      `expected schemaVersion ${RESULT_SCHEMA_VERSION}`,
    );
  }
  return parsed.data;
}
