/**
 * Judging a finished run: checkers over its record, hypotheses against their metrics, a verdict, and
 * the result.json document with the environment it ran in.
 */
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import type { RunRecord } from '../checkers/checker.ts';
import { experimentMetrics, metricValue, optionsFromSpecs } from '../checkers/metric-values.ts';
import { runCheckers } from '../checkers/registry.ts';
import type { Experiment } from '../experiment/definition.ts';
import { compare, type Hypothesis, parseHypothesis } from '../experiment/hypothesis.ts';
import {
  faultRecords,
  type HypothesisResult,
  RESULT_SCHEMA_VERSION,
  type RunResult,
} from '../journal/index.ts';
import type { GeneratorHealth } from '../load/generator-health.ts';
import type { LoadSpec } from '../load/load-spec.ts';
import type { StartReport } from '../runtime/start-graph.ts';
import type { StartedTopology } from '../runtime/topology.ts';

function gitSha(): string | null {
  try {
    return execFileSync('git', ['rev-parse', 'HEAD'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
  } catch {
    return null;
  }
}

/**
 * Each hypothesis with its measured value; 'unknown' when the run cannot tell. A metric of the
 * experiment's own checkers is resolved from that checker's analysis, as a built-in one is. Each
 * also carries its metric's unit and checker, so that reports, which read only result.json, show an
 * own metric as they show a built-in one.
 */
export function evaluateHypotheses(
  record: RunRecord,
  texts: string[],
  checkers: Experiment['checkers'],
): HypothesisResult[] {
  const options = optionsFromSpecs(checkers);
  const table = experimentMetrics(checkers);
  return texts.map((text) => {
    const h = parseHypothesis(text) as Hypothesis;
    const definition = Object.hasOwn(table, h.metric) ? table[h.metric] : undefined;
    const value = metricValue(record, h.metric, h.phase, options, table);
    const holds =
      value === undefined || Number.isNaN(value) ? ('unknown' as const) : compare(value, h.op, h.threshold);
    return {
      text,
      metric: h.metric,
      ...(definition ? { unit: definition.unit } : {}),
      ...(definition?.checker ? { checker: definition.checker } : {}),
      ...(h.phase ? { phase: h.phase } : {}),
      op: h.op,
      threshold: h.threshold,
      value: value ?? null,
      holds,
    };
  });
}

/** pass: all hold; fail: one is false; invalid: the run itself cannot be trusted or nothing could be told. */
function verdictOf(
  status: RunResult['status'],
  generatorValid: boolean,
  hypotheses: HypothesisResult[],
): RunResult['verdict'] {
  if (status !== 'completed' || !generatorValid) return 'invalid';
  if (hypotheses.every((h) => h.holds === true)) return 'pass';
  return hypotheses.some((h) => h.holds === false) ? 'fail' : 'invalid';
}

export interface JudgeInput {
  experiment: Experiment;
  variant: Experiment['variants'][number] | undefined;
  record: RunRecord;
  status: RunResult['status'];
  statusReason: string | undefined;
  generator: GeneratorHealth | undefined;
  healAudit: string[];
  /** The load as the run started it (the plan's). */
  load: LoadSpec;
  startedAt: Date;
  environment: { runtime: string; seed: number; durationScale: number };
  topology: StartedTopology;
}

export async function judge(input: JudgeInput): Promise<RunResult> {
  const { experiment, variant, record, status, statusReason, topology } = input;
  const checks = runCheckers(record, experiment.checkers);
  const hypotheses = evaluateHypotheses(
    record,
    variant?.hypotheses ?? experiment.hypotheses,
    experiment.checkers,
  );
  const generator = input.generator ?? { valid: false, reason: 'load did not finish' };
  const definition = experiment as unknown as Record<string, unknown>;
  return {
    schemaVersion: RESULT_SCHEMA_VERSION,
    experiment: {
      name: experiment.name,
      description: experiment.description,
      definition,
    },
    variant: variant?.name ?? null,
    status,
    ...(statusReason ? { statusReason } : {}),
    verdict: verdictOf(status, generator.valid, hypotheses),
    startedAt: input.startedAt.toISOString(),
    endedAt: new Date().toISOString(),
    environment: {
      ...input.environment,
      gitSha: gitSha(),
      node: process.version,
      cpus: os.cpus().length,
      versions: await topology.versions().catch(() => ({})),
    },
    topology: {
      target: topology.composition.target,
      app: topology.composition.app.label,
      services: [...topology.serviceNames],
      links: [...topology.linkNames],
      options: { ...topology.options },
      ...startOf(topology.startReport),
    },
    phases: [...record.phases],
    healAudit: input.healAudit,
    events: [...record.events],
    generator: generator as RunResult['generator'],
    // Stored, so that no reader derives them again (result schema v2).
    faults: faultRecords({
      events: record.events,
      experiment: { definition },
      variant: variant?.name ?? null,
    }),
    load: { configured: input.load },
    metrics: record.metrics.toJSON() as unknown as Record<string, unknown>,
    checks,
    hypotheses,
  };
}

/** The start as result.json keeps it: its total and the chain of waits that decided it. */
function startOf(report: StartReport | undefined): Pick<RunResult['topology'], 'start'> {
  return report ? { start: { totalMs: report.totalMs, chain: report.chain } } : {};
}
