/**
 * What `faultline load` reports, and `faultline merge` makes of several parts of one load: the
 * report's shape (validated when merge reads one back), how it is built from histograms and
 * counters, and how it is printed.
 */
import { z } from 'zod';
import { formatDuration } from '../core/duration.ts';
import type { GeneratorHealth, GeneratorHealthPart } from '../load/generator-health.ts';
import type { LoadPart } from '../load/run-load.ts';
import type { Counters } from '../metrics/counters.ts';
import {
  encodeHistogram,
  type LatencyHistogram,
  type LatencySummary,
  summarize,
} from '../metrics/histogram.ts';

export interface LoadReport {
  url: string;
  /** The constant rate asked for (absent for a ramp). */
  rate?: number;
  /** The ramp asked for: ms and req/s (absent for a constant rate). */
  stages?: { duration: number; target: number }[];
  durationMs: number;
  /** Which share of the schedule this generator sent (`--part`, 0-based index), absent for all of it. */
  part?: LoadPart;
  /** How many reports `faultline merge` made this one from (absent for one generator's). */
  mergedFrom?: number;
  /** Generator threads that sent it. */
  workers: number;
  achievedRate: number;
  latencyMs: LatencySummary & { p75: number; p9999: number };
  serviceTimeMs: LatencySummary;
  counters: Counters;
  generator: GeneratorHealth;
  /** Each thread's send lags and event loop, so merged reports judge the generator exactly. */
  generatorParts: GeneratorHealthPart[];
  /** The send-lag limit the generator was judged against (ms). */
  maxSendLagMs: number;
  /** HdrHistogram V2, compressed base64, microseconds: for HdrHistogram tools and `faultline compare`. */
  latencyHistogram: string;
  /** The same for the service time (from the actual send), so parts merge exactly. */
  serviceTimeHistogram: string;
}

const summary = z.looseObject({ p50: z.number(), p99: z.number(), max: z.number() });

/** What merge needs of a report it reads (written by this version of faultline load --json). */
export const loadReportSchema = z.looseObject({
  url: z.string(),
  rate: z.number().optional(),
  stages: z.array(z.object({ duration: z.number(), target: z.number() })).optional(),
  durationMs: z.number(),
  part: z.object({ index: z.number().int().min(0), of: z.number().int().min(1) }).optional(),
  workers: z.number().int().min(1),
  achievedRate: z.number(),
  latencyMs: summary,
  serviceTimeMs: summary,
  counters: z.object({
    ok: z.number(),
    fail: z.number(),
    info: z.number(),
    dropped: z.number(),
    byError: z.record(z.string(), z.number()),
    byStatus: z.record(z.string(), z.number()),
  }),
  generatorParts: z.array(
    z.object({
      sendLag: z.string(),
      late: z.number(),
      eventLoopDelayMs: z.object({ p99: z.number(), max: z.number() }),
    }),
  ),
  maxSendLagMs: z.number(),
  latencyHistogram: z.string(),
  serviceTimeHistogram: z.string(),
});

export interface ReportParts {
  schedule: Pick<LoadReport, 'url' | 'rate' | 'stages' | 'durationMs'>;
  part?: LoadPart;
  mergedFrom?: number;
  workers: number;
  achievedRate: number;
  latency: LatencyHistogram;
  service: LatencyHistogram;
  counters: Counters;
  generator: GeneratorHealth;
  generatorParts: GeneratorHealthPart[];
  maxSendLagMs: number;
}

export function loadReport(r: ReportParts): LoadReport {
  const { latency } = r;
  return {
    ...r.schedule,
    ...(r.part ? { part: r.part } : {}),
    ...(r.mergedFrom ? { mergedFrom: r.mergedFrom } : {}),
    workers: r.workers,
    achievedRate: r.achievedRate,
    latencyMs: {
      ...summarize(latency),
      p75: latency.totalCount ? latency.getValueAtPercentile(75) / 1000 : 0,
      p9999: latency.totalCount ? latency.getValueAtPercentile(99.99) / 1000 : 0,
    },
    serviceTimeMs: summarize(r.service),
    counters: r.counters,
    generator: r.generator,
    generatorParts: r.generatorParts,
    maxSendLagMs: r.maxSendLagMs,
    latencyHistogram: encodeHistogram(latency),
    serviceTimeHistogram: encodeHistogram(r.service),
  };
}

function origin(r: LoadReport): string {
  const threads = r.workers > 1 ? ` from ${r.workers} generator threads` : '';
  if (r.mergedFrom)
    return ` (${r.mergedFrom} generators merged${r.workers > r.mergedFrom ? `, ${r.workers} threads` : ''})`;
  if (r.part) return ` (part ${r.part.index + 1} of ${r.part.of}${threads})`;
  return threads;
}

export function formatReport(r: LoadReport): string {
  const ms = (v: number) => `${v.toFixed(2).padStart(10)} ms`;
  const l = r.latencyMs;
  const lines = [
    `${r.url}: ${r.stages ? `ramping ${r.stages.map((s) => s.target).join(' → ')} req/s` : `${r.rate} req/s`} for ${formatDuration(r.durationMs)}${origin(r)}`,
    'Latency from intended send time (coordinated-omission corrected):',
    ...(
      [
        ['50%', l.p50],
        ['75%', l.p75],
        ['90%', l.p90],
        ['99%', l.p99],
        ['99.9%', l.p999],
        ['99.99%', l.p9999],
        ['max', l.max],
      ] as const
    ).map(([name, value]) => `  ${name.padStart(7)} ${ms(value)}`),
    `Service time (from actual send): p50 ${r.serviceTimeMs.p50.toFixed(2)} ms, p99 ${r.serviceTimeMs.p99.toFixed(2)} ms, max ${r.serviceTimeMs.max.toFixed(2)} ms`,
    `Requests: ${r.counters.ok + r.counters.fail + r.counters.info} sent, achieved ${r.achievedRate.toFixed(1)} req/s`,
    `Outcomes: ok ${r.counters.ok}, failed ${r.counters.fail}, timed out/unknown ${r.counters.info}, dropped (in-flight cap) ${r.counters.dropped}`,
  ];
  const errors = Object.entries(r.counters.byError);
  if (errors.length) lines.push(`Errors: ${errors.map(([code, n]) => `${code} ${n}`).join(', ')}`);
  const statuses = Object.entries(r.counters.byStatus);
  if (statuses.length) lines.push(`Status: ${statuses.map(([code, n]) => `${code} ${n}`).join(', ')}`);
  const g = r.generator;
  lines.push(
    `Generator: send lag p50 ${g.sendLagMs.p50.toFixed(2)} ms, p99 ${g.sendLagMs.p99.toFixed(2)} ms, max ${g.sendLagMs.max.toFixed(2)} ms; event-loop delay p99 ${g.eventLoopDelayMs.p99.toFixed(2)} ms — ${g.valid ? 'kept its schedule' : `INVALID: ${g.reason}`}`,
  );
  return `${lines.join('\n')}\n`;
}
