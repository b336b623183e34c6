/**
 * Failover (lb-backend-death, session-loss): when the backend died, when HAProxy marked it DOWN,
 * when users stopped seeing errors, when it was healed and when the SLO held again — on one time
 * axis with HAProxy's view of every server and the error rate beneath.
 */
import { c, frame, labelRows, linearScale, svg, xAxis } from '../charts/axes.ts';
import { type Band, lineChart, type Marker, secondsTick } from '../charts/line-chart.ts';
import { type CheckerSection, card, type Tile, table, tiles } from '../components.ts';
import { evidenceOf } from '../evidence.ts';
import { count, ms, pct, relSeconds } from '../format.ts';
import { html, type Markup } from '../html.ts';
import type { ReportModel } from '../model.ts';
import { bucketSeries, faultBands, phaseSpans } from './time.ts';

function stateClass(status: string): string {
  if (status.includes('/')) return 'transit';
  if (status.startsWith('UP')) return 'up';
  if (status.startsWith('DOWN')) return 'down';
  return 'other';
}

/** From `leadMs` before the first fault to the run's end: the part of a run a failover chart shows. */
export function aroundFaults(m: ReportModel, leadMs: number): [number, number] {
  const first = Math.min(...m.faults.map((f) => m.rel(f.from)));
  return [Number.isFinite(first) ? Math.max(0, first - leadMs) : 0, Math.max(1, m.rel(m.endMs))];
}

/** The error rate per bucket, shaded where `bands` say and marked at `markers`. */
export function errorRateChart(
  m: ReportModel,
  c: { label: string; domain: [number, number]; bands: Band[]; markers: Marker[]; height: number },
): Markup {
  return lineChart({
    label: c.label,
    xDomain: c.domain,
    bands: c.bands,
    phases: phaseSpans(m),
    markers: c.markers,
    yLabel: 'error rate',
    yFormat: (v) => pct(v),
    series: [
      bucketSeries(m, 'error rate', 'bad', (p) => (p.ok + p.fail + p.info + p.dropped ? p.errorRate : null), {
        area: true,
      }),
    ],
    height: c.height,
  });
}

/**
 * HAProxy's status of each server over time, one lane per server, from the observers' events:
 * the load balancer's web servers, or (source "haproxy.pg-write") the nodes of the write endpoint.
 */
export function serverLanes(
  m: ReportModel,
  domain: readonly [number, number],
  markers: readonly Marker[],
  source = 'haproxy.server',
): Markup {
  const byServer = new Map<string, { at: number; status: string }[]>();
  for (const e of m.result.events) {
    if (e.kind !== 'observation' || e.source !== source || typeof e.fault === 'string') continue;
    const d = e.detail as Record<string, unknown> | undefined;
    if (typeof d?.server !== 'string' || typeof d.status !== 'string') continue;
    const list = byServer.get(d.server) ?? [];
    list.push({ at: m.rel(e.at), status: d.status });
    byServer.set(d.server, list);
  }
  if (byServer.size === 0) return html``;
  const servers = [...byServer.keys()].sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  const lane = 24;
  // Room for the longest server name ("pg-replica-2"), at about 7 px a character.
  const left = Math.max(62, 12 + 7 * Math.max(...servers.map((s) => s.length)));
  // Marker labels stack above the lanes in as many rows as they need.
  const probe = linearScale(domain, [left, 1080 - 16]);
  const rows = labelRows(markers.map((mk) => ({ x: probe(mk.x) + 3, text: mk.label })));
  const labelSpace = 10 + (Math.max(-1, ...rows) + 1) * 13;
  const f = frame(1080, labelSpace + servers.length * lane + 34, {
    top: labelSpace,
    right: 16,
    bottom: 34,
    left,
  });
  const x = linearScale(domain, [f.left, f.right]);
  const clip = (v: number) => Math.min(f.right, Math.max(f.left, x(v)));
  const lanes = servers.map((server, i) => {
    const changes = (byServer.get(server) ?? []).sort((a, b) => a.at - b.at);
    const y = f.top + i * lane;
    const segments = changes.map((s, k) => {
      const from = clip(s.at);
      const to = clip(changes[k + 1]?.at ?? domain[1]);
      if (to - from < 0.5) return '';
      return html`<rect class="state ${stateClass(s.status)}" x="${c(from)}" y="${c(y + 2)}" width="${c(to - from)}" height="${lane - 4}"><title>${server}: ${s.status} from ${relSeconds(s.at)}</title></rect>${to - from > 44 ? html`<text x="${c(from + 4)}" y="${c(y + lane / 2 + 4)}">${s.status}</text>` : ''}`;
    });
    return html`<text class="lane-label" x="${c(f.left - 6)}" y="${c(y + lane / 2 + 4)}" text-anchor="end">${server}</text>${segments}`;
  });
  const marks = markers.map(
    (mk, i) =>
      html`<g class="marker ${mk.cls}"><line x1="${c(clip(mk.x))}" x2="${c(clip(mk.x))}" y1="${c(f.top - 2)}" y2="${c(f.bottom)}"/><text x="${c(clip(mk.x) + 3)}" y="${c(f.top - 6 - (rows[i] ?? 0) * 13)}">${mk.label}</text></g>`,
  );
  return svg(f, 'HAProxy server states over time', html`${lanes}${marks}${xAxis(f, x, secondsTick)}`);
}

function failover(m: ReportModel): Markup | undefined {
  const fo = evidenceOf(m.check('failover-time'), 'failover-time');
  const td = evidenceOf(m.check('time-to-detect'), 'time-to-detect');
  const tr = evidenceOf(m.check('time-to-recover'), 'time-to-recover');
  if (!m.check('failover-time') && !m.check('time-to-detect') && !m.check('time-to-recover'))
    return undefined;
  const markers: Marker[] = [];
  for (const f of fo?.faults ?? []) {
    markers.push({ x: m.rel(f.actuatedAt), label: 'fault actuated', cls: 'bad' });
    if (f.failoverMs !== null && f.failures > 0)
      markers.push({
        x: m.rel(f.actuatedAt + f.failoverMs),
        label: `last failure +${ms(f.failoverMs)}`,
        cls: 'c4',
      });
  }
  for (const d of td?.faults ?? []) {
    if (!fo) markers.push({ x: m.rel(d.actuatedAt), label: 'fault actuated', cls: 'bad' });
    if (d.detectMs !== null)
      markers.push({ x: m.rel(d.actuatedAt + d.detectMs), label: `DOWN +${ms(d.detectMs)}`, cls: 'warn' });
  }
  for (const r of tr?.faults ?? []) {
    markers.push({ x: m.rel(r.healedAt), label: 'healed', cls: 'ok' });
    if (r.recoverMs !== null)
      markers.push({ x: m.rel(r.healedAt + r.recoverMs), label: `SLO back +${ms(r.recoverMs)}`, cls: 'c3' });
  }
  if (!tr)
    for (const f of m.faults)
      if (f.life.healed !== undefined) markers.push({ x: m.rel(f.life.healed), label: 'healed', cls: 'ok' });
  const domain = aroundFaults(m, 1000);
  const errors = errorRateChart(m, {
    label: 'Error rate around the failover',
    domain,
    bands: faultBands(m),
    markers,
    height: 200,
  });
  const list: Tile[] = [];
  if (td) {
    const missed = td.faults.some((f) => f.result === 'not-detected');
    list.push({
      label: 'time to detect (LB marks DOWN)',
      value: missed ? 'never' : ms(td.maxDetectMs),
      tone: missed ? 'bad' : undefined,
    });
  }
  if (fo) {
    list.push({
      label: 'failover (until failures stop)',
      value: ms(fo.maxFailoverMs),
      tone: fo.faults.some((f) => !f.settled) ? 'bad' : undefined,
    });
    list.push({
      label: 'failed requests in the window',
      value: count(fo.faults.reduce((n, f) => n + f.failures, 0)),
    });
  }
  if (tr) {
    const never = tr.faults.some((f) => f.result === 'not-recovered');
    const short = tr.faults.some((f) => f.result === 'too-short');
    list.push({
      label: 'time to recover after heal',
      value: never ? 'never' : short ? 'run too short' : ms(tr.maxRecoverMs),
      tone: never ? 'bad' : short ? 'warn' : undefined,
      title: `SLO: error rate ≤ ${pct(tr.slo.maxErrorRate)} for ${tr.slo.buckets} buckets`,
    });
  }
  type F = NonNullable<typeof fo>['faults'][number];
  const rows = table<F>(
    [
      { head: 'Fault', cell: (f) => html`<code>${f.fault}</code>` },
      { head: 'Actuated', num: true, cell: (f) => relSeconds(m.rel(f.actuatedAt)) },
      { head: 'Failover', num: true, cell: (f) => ms(f.failoverMs) },
      { head: 'Settled', cell: (f) => (f.settled ? 'yes' : 'no') },
      { head: 'Failures / requests', num: true, cell: (f) => `${count(f.failures)} / ${count(f.requests)}` },
      {
        head: 'First failure',
        num: true,
        cell: (f) => (f.firstFailureMs === null ? '' : ms(f.firstFailureMs)),
      },
      {
        head: 'Last seen by a user',
        num: true,
        cell: (f) => (f.lastFailureDoneMs === null ? '' : ms(f.lastFailureDoneMs)),
      },
      {
        head: 'Causes',
        cell: (f) =>
          html`<span class="mono">${Object.entries(f.byCause)
            .map(([k, n]) => `${k} ×${n}`)
            .join(', ')}</span>`,
      },
    ],
    fo?.faults ?? [],
  );
  const body = html`${tiles(list)}<h3>Failover timeline</h3>${serverLanes(m, domain, markers)}${errors}${fo ? html`<h3>Failure windows</h3>${rows}` : ''}`;
  return card(
    { id: 'failover', title: 'Failover', body },
    'HAProxy’s view of each web server (polled every 100 ms) above, the error rate of requests due in each bucket below. Markers: the kill, HAProxy marking the server DOWN, the last failed request of the outage, the heal, and the SLO holding again.',
  );
}

export const failoverSection: CheckerSection = { id: 'failover', toc: 'Failover', render: failover };
