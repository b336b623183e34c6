/** What every chart over run time shares: the x range, the fault windows shaded, the phases marked. */
import type { Band, Phase, Series } from '../charts/line-chart.ts';
import type { ReportModel } from '../model.ts';

export function xDomain(m: ReportModel): [number, number] {
  return [0, Math.max(1, m.rel(m.endMs))];
}

/** One shaded band per fault: from actuation to heal (to the run's end if it never healed). */
export function faultBands(m: ReportModel): Band[] {
  return m.faults.map((f) => ({
    from: m.rel(f.from),
    to: m.rel(f.to),
    label: f.life.healed === undefined ? `${f.id} (not healed)` : f.id,
    cls: 'fault',
  }));
}

export function phaseSpans(m: ReportModel): Phase[] {
  return m.result.phases.map((p) => ({ name: p.name, from: m.rel(p.startMs), to: m.rel(p.endMs) }));
}

/** Colour class of a phase's line, so a phase has the same colour in every chart. */
export function phaseClass(phase: string): string {
  switch (phase) {
    case 'warmup':
      return 'muted';
    case 'baseline':
      return 'c1';
    case 'fault':
      return 'bad';
    case 'recovery':
      return 'c3';
    default:
      return 'c5';
  }
}

/**
 * Points for a per-bucket value: x = bucket start relative to load start, drawn as a step over the
 * bucket. Buckets entirely outside the run's span are left out.
 */
export function bucketSeries(
  m: ReportModel,
  name: string,
  cls: string,
  value: (p: ReportModel['timeline'][number]) => number | null,
  extra: Partial<Series> = {},
): Series {
  const width = m.metrics.bucketWidthMs;
  const [, end] = xDomain(m);
  return {
    name,
    cls,
    step: width,
    ...extra,
    points: m.timeline
      .map((p) => ({ x: m.rel(p.t), y: value(p) }))
      .filter((p) => p.x + width > 0 && p.x < end),
  };
}

/**
 * Series from polled observations (event log): one per value of `groupBy` in the detail (e.g. one
 * per replica), y = detail[key] when numeric, else a gap.
 */
export function observationSeries(
  m: ReportModel,
  source: string,
  groupBy: string,
  key: string,
  classes: readonly string[] = ['c1', 'c2', 'c3', 'c4', 'c5', 'c6'],
): Series[] {
  const groups = new Map<string, { x: number; y: number | null }[]>();
  for (const e of m.result.events) {
    if (e.kind !== 'observation' || e.source !== source || typeof e.fault === 'string') continue;
    const detail = e.detail as Record<string, unknown> | undefined;
    const name = detail?.[groupBy];
    if (typeof name !== 'string') continue;
    const v = detail?.[key];
    const list = groups.get(name) ?? [];
    list.push({ x: m.rel(e.at), y: typeof v === 'number' && Number.isFinite(v) ? v : null });
    groups.set(name, list);
  }
  return [...groups]
    .sort((a, b) => a[0].localeCompare(b[0], 'en', { numeric: true }))
    .map(([name, points], i) => ({
      name,
      cls: classes[i % classes.length] as string,
      points: points.sort((a, b) => a.x - b.x),
    }));
}
