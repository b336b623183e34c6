/**
 * The fault event log: each fault's life (requested → actuated → verified → healed) with times
 * relative to load start and to the request, phase starts for orientation, and the observations
 * the faults' own probes made (e.g. HAProxy's view of the killed server, the CDN's 503).
 */

import type { RunEvent } from '../../../harness/journal/index.ts';
import { badge, card, table } from '../components.ts';
import { delta, relSeconds } from '../format.ts';
import { html, type Interpolated, type Markup } from '../html.ts';
import type { ReportModel } from '../model.ts';

const KINDS: Record<string, { label: string; tone: 'ok' | 'bad' | 'warn' | 'unknown' | 'info' }> = {
  'fault-requested': { label: 'requested', tone: 'info' },
  'fault-actuated': { label: 'actuated', tone: 'bad' },
  'fault-verified': { label: 'verified', tone: 'warn' },
  'fault-unverified': { label: 'unverified', tone: 'unknown' },
  'fault-healed': { label: 'healed', tone: 'ok' },
  'fault-heal-failed': { label: 'heal failed', tone: 'bad' },
};

function detailText(detail: unknown): string {
  if (!detail || typeof detail !== 'object') return '';
  return Object.entries(detail as Record<string, unknown>)
    .map(([k, v]) => `${k} ${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join(', ');
}

export function eventRows(m: ReportModel): RunEvent[] {
  return [...m.result.events]
    .filter(
      (e) =>
        e.kind.startsWith('fault-') ||
        e.kind === 'phase-start' ||
        (e.kind === 'observation' && typeof e.fault === 'string'),
    )
    .sort((a, b) => a.at - b.at);
}

export function eventsSection(m: ReportModel): Markup {
  const requested = new Map<string, number>();
  for (const e of m.result.events)
    if (e.kind === 'fault-requested' && typeof e.fault === 'string' && !requested.has(e.fault))
      requested.set(e.fault, e.at);
  const rows = eventRows(m);
  const what = (e: RunEvent): Interpolated => {
    const k = KINDS[e.kind];
    if (k) return badge(k.label, k.tone);
    if (e.kind === 'phase-start')
      return html`<span class="muted">phase ${typeof e.phase === 'string' ? e.phase : ''}</span>`;
    return html`<span class="muted">observed${'source' in e ? ` ${e.source}` : ''}</span>`;
  };
  const since = (e: RunEvent) => {
    const start = 'fault' in e && e.fault !== undefined ? requested.get(e.fault) : undefined;
    return start === undefined || e.kind === 'fault-requested' ? '' : delta(e.at - start);
  };
  const body = table<RunEvent>(
    [
      { head: 'Time', num: true, cell: (e) => relSeconds(m.rel(e.at)) },
      { head: 'Event', cell: what },
      {
        head: 'Fault',
        cell: (e) => ('fault' in e && e.fault !== undefined ? html`<code>${e.fault}</code>` : ''),
      },
      { head: 'Since request', num: true, cell: since },
      {
        head: 'Detail',
        cell: (e) => {
          const text = 'detail' in e ? detailText(e.detail) : '';
          return text ? html`<span class="mono">${text}</span>` : '';
        },
      },
    ],
    rows,
    (e) => (e.kind.startsWith('fault-') ? undefined : 'muted'),
  );
  return card(
    { id: 'events', title: 'Fault events', body },
    'Times are relative to the start of load. A fault is actuated when its action returned, verified when a probe proved it took effect, healed when the system was back.',
  );
}
