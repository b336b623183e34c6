/**
 * JUnit XML from run results: one <testsuite> per experiment/variant, one <testcase> per hypothesis
 * (per run, when --repeat ran it several times). A failed hypothesis is a <failure> saying
 * "measured X vs threshold op Y"; every case of an invalid run is an <error> with the run's reason,
 * since its numbers cannot be trusted either way.
 */
import { mkdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { writeAtomically } from '../../harness/core/atomic-write.ts';
import type { HypothesisResult, RunResult } from '../../harness/journal/index.ts';
import type { MetricUnit } from '../html/format.ts';
import { metricUnit } from '../html/hypothesis-metric.ts';
import { element } from './xml.ts';

/** A metric value in its unit (a hypothesis's: metricUnit): 612.35ms, 3.2%, 148/s, 4. */
export function formatMetric(value: number | null, unit: MetricUnit | undefined): string {
  if (value === null) return 'n/a';
  if (!Number.isFinite(value)) return value > 0 ? 'never' : String(value);
  const round = (v: number) => String(+v.toFixed(3));
  switch (unit) {
    case 'ms':
      return `${round(value)}ms`;
    case 'ratio':
      return `${round(value * 100)}%`;
    case 'per-second':
      return `${round(value)}/s`;
    default:
      return round(value);
  }
}

/** "measured 612.35ms vs threshold < 500ms" */
export function measuredVsThreshold(h: HypothesisResult): string {
  const unit = metricUnit(h);
  return `measured ${formatMetric(h.value, unit)} vs threshold ${h.op} ${formatMetric(h.threshold, unit)}`;
}

export function suiteName(result: Pick<RunResult, 'experiment' | 'variant'>): string {
  return result.variant ? `${result.experiment.name} [${result.variant}]` : result.experiment.name;
}

function invalidReason(result: RunResult): string {
  const why =
    result.statusReason ??
    (result.generator.valid ? undefined : result.generator.reason) ??
    'the run cannot be trusted';
  // A completed run is invalid because its load generator fell behind: say that, not "completed".
  return result.status === 'completed' ? `run invalid: ${why}` : `run invalid (${result.status}): ${why}`;
}

interface Case {
  xml: string;
  outcome: 'pass' | 'failure' | 'error';
}

function testCase(result: RunResult, h: HypothesisResult, suffix: string): Case {
  const attributes = { name: `${h.text}${suffix}`, classname: `faultline.${suiteName(result)}`, time: 0 };
  const measured = measuredVsThreshold(h);
  if (result.verdict === 'invalid') {
    const message = invalidReason(result);
    return {
      outcome: 'error',
      xml: element('testcase', attributes, [
        element(
          'error',
          { message, type: result.status === 'completed' ? 'generator-behind' : result.status },
          `${message}\n${h.text}: ${measured}`,
        ),
      ]),
    };
  }
  if (h.holds === false) {
    return {
      outcome: 'failure',
      xml: element('testcase', attributes, [
        element('failure', { message: measured, type: 'hypothesis' }, `${h.text}: ${measured}`),
      ]),
    };
  }
  if (h.holds === 'unknown') {
    const message = `not measured: the run could not tell (${measured})`;
    return {
      outcome: 'error',
      xml: element('testcase', attributes, [element('error', { message, type: 'unknown' }, h.text)]),
    };
  }
  return {
    outcome: 'pass',
    xml: element('testcase', attributes, [element('system-out', {}, `${h.text}: ${measured}`)]),
  };
}

function seconds(result: RunResult): number {
  const ms = Date.parse(result.endedAt) - Date.parse(result.startedAt);
  return Number.isFinite(ms) && ms > 0 ? +(ms / 1000).toFixed(3) : 0;
}

/** The JUnit XML document for these results, grouped by experiment/variant in the order given. */
export function toJUnit(results: readonly RunResult[]): string {
  const groups = new Map<string, RunResult[]>();
  for (const r of results) {
    const key = suiteName(r);
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  let tests = 0;
  let failures = 0;
  let errors = 0;
  let time = 0;
  const suites: string[] = [];
  for (const [name, runs] of groups) {
    const cases: Case[] = [];
    runs.forEach((run, i) => {
      const suffix = runs.length > 1 ? ` (run ${i + 1} of ${runs.length}, seed ${run.environment.seed})` : '';
      for (const h of run.hypotheses) cases.push(testCase(run, h, suffix));
    });
    const first = runs[0] as RunResult;
    const suite = {
      tests: cases.length,
      failures: cases.filter((c) => c.outcome === 'failure').length,
      errors: cases.filter((c) => c.outcome === 'error').length,
      time: +runs.reduce((t, r) => t + seconds(r), 0).toFixed(3),
    };
    tests += suite.tests;
    failures += suite.failures;
    errors += suite.errors;
    time += suite.time;
    const properties = [
      ['experiment', first.experiment.name],
      ['variant', first.variant ?? ''],
      ['runtime', first.environment.runtime],
      ['seeds', runs.map((r) => r.environment.seed).join(',')],
      ['durationScale', String(first.environment.durationScale)],
      ['gitSha', first.environment.gitSha ?? ''],
      ['verdicts', runs.map((r) => r.verdict).join(',')],
    ].map(([key, value]) => element('property', { name: key, value }));
    suites.push(
      element(
        'testsuite',
        { name, ...suite, skipped: 0, timestamp: first.startedAt.replace(/(\.\d+)?Z$/, '') },
        [element('properties', {}, properties), ...cases.map((c) => c.xml)],
      ),
    );
  }
  const root = element(
    'testsuites',
    { name: 'faultline', tests, failures, errors, time: +time.toFixed(3) },
    suites,
  );
  return `<?xml version="1.0" encoding="UTF-8"?>\n${root}\n`;
}

/** Writes the JUnit file atomically (a temporary file renamed over it): never half a report. */
export async function writeJUnit(path: string, results: readonly RunResult[]): Promise<string> {
  const file = resolve(path);
  await mkdir(dirname(file), { recursive: true });
  await writeAtomically(file, toJUnit(results));
  return file;
}
