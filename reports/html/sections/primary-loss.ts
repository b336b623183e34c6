/**
 * Primary loss (write-unavailability, acked-writes-lost, split-brain): a timeline of who was primary
 * when (the write endpoint's view of each node) with the write outage shaded and the failover
 * manager's steps marked, then how long writes could not be acknowledged, which acknowledged writes
 * the ledger lost, and which nodes acknowledged writes when.
 */
import type { Marker } from '../charts/line-chart.ts';
import { type CheckerSection, card, table, tiles, unreadable } from '../components.ts';
import { evidenceOf } from '../evidence.ts';
import { count, ms, relSeconds } from '../format.ts';
import { html, type Markup } from '../html.ts';
import type { ReportModel } from '../model.ts';
import { aroundFaults, errorRateChart, serverLanes } from './failover.ts';
import { faultBands } from './time.ts';

const orDash = (x: string | null | undefined) => x ?? '–';

function outages(m: ReportModel): Markup {
  const check = m.check('write-unavailability');
  if (!check) return html``;
  const e = evidenceOf(check, 'write-unavailability');
  if (!e) return unreadable('write-unavailability');
  type F = (typeof e.faults)[number];
  return html`<h3>Write outage</h3>${table<F>(
    [
      { head: 'Fault', cell: (f) => html`<code>${f.fault}</code>` },
      { head: 'Actuated', num: true, cell: (f) => relSeconds(m.rel(f.actuatedAt)) },
      {
        head: 'Writes unavailable',
        num: true,
        cell: (f) => (f.recovered ? ms(f.unavailabilityMs) : `≥ ${ms(f.unavailabilityMs)} (not back)`),
      },
      { head: 'Failed writes', num: true, cell: (f) => count(f.failedWrites) },
      { head: 'Timed out', num: true, cell: (f) => count(f.timedOutWrites) },
      { head: 'Reads ok / failed', num: true, cell: (f) => `${count(f.readsOk)} / ${count(f.readsFailed)}` },
      { head: 'Detected', num: true, cell: (f) => ms(f.detectedMs) },
      { head: 'Promoted', num: true, cell: (f) => ms(f.promotedMs) },
      { head: 'New primary', cell: (f) => orDash(f.promotedNode) },
    ],
    e.faults,
  )}`;
}

/** The write endpoint's lanes and the error rate, the outage shaded and each failover step marked. */
function timeline(m: ReportModel): Markup {
  const e = evidenceOf(m.check('write-unavailability'), 'write-unavailability');
  if (!e) return html``;
  const markers: Marker[] = [];
  const bands = faultBands(m);
  for (const f of e.faults) {
    const at = (after: number | null | undefined) =>
      after === null || after === undefined ? undefined : m.rel(f.actuatedAt + after);
    // A partition leaves the old primary running: the outage (shaded) may begin later than the fault.
    const label = f.fault.startsWith('primary-partition') ? 'primary cut off' : 'primary killed';
    markers.push({ x: m.rel(f.actuatedAt), label, cls: 'bad' });
    const steps: [number | null | undefined, string, string][] = [
      [f.detectedMs, 'detected', 'warn'],
      [f.promotedMs, `promoted ${f.promotedNode ?? ''}`.trim(), 'c3'],
      [f.firstAckAfterMs, 'writes back', 'ok'],
    ];
    for (const [after, label, cls] of steps) {
      const x = at(after);
      if (x !== undefined) markers.push({ x, label, cls });
    }
    const from = at(f.lastAckBeforeMs) ?? m.rel(f.actuatedAt);
    const to = f.recovered ? at(f.firstAckAfterMs) : m.rel(m.endMs);
    if (to !== undefined) bands.push({ from, to, label: 'writes unavailable', cls: 'fault' });
  }
  const domain = aroundFaults(m, 2000);
  const errors = errorRateChart(m, {
    label: 'Error rate (writes and reads) around the primary loss',
    domain,
    bands,
    markers,
    height: 180,
  });
  return html`<h3>Who was primary when</h3><p class="muted">The write endpoint’s view of each node: UP is where writes go, MAINT a node it keeps out (a replica standing by, or a fenced old primary).</p>${serverLanes(m, domain, markers, 'haproxy.pg-write')}${errors}`;
}

function lost(m: ReportModel): Markup {
  const check = m.check('acked-writes-lost');
  if (!check) return html``;
  const e = evidenceOf(check, 'acked-writes-lost');
  if (!e) return unreadable('acked-writes-lost');
  type W = (typeof e.lostWrites)[number];
  const numbers = tiles([
    { label: 'acknowledged writes', value: count(e.acknowledged) },
    { label: `read back from ${e.node ?? '–'}`, value: count(e.checked) },
    { label: 'lost', value: count(e.lost), tone: e.lost ? 'bad' : e.lost === 0 ? 'ok' : undefined },
  ]);
  const list = table<W>(
    [
      { head: 'Ledger id', cell: (w) => html`<code>${w.ledgerId}</code>` },
      {
        head: 'Acknowledged',
        num: true,
        cell: (w) => (w.ackedAt === null ? '–' : relSeconds(m.rel(w.ackedAt))),
      },
      { head: 'Written to', cell: (w) => orDash(w.writtenTo) },
    ],
    e.lostWrites,
  );
  return html`<h3>Acknowledged writes lost</h3>${numbers}${e.lostWrites.length ? list : ''}`;
}

function nodes(m: ReportModel): Markup {
  const check = m.check('split-brain');
  if (!check) return html``;
  const e = evidenceOf(check, 'split-brain');
  if (!e) return unreadable('split-brain');
  type N = (typeof e.nodes)[number];
  return html`<h3>Nodes that acknowledged writes</h3>${table<N>(
    [
      { head: 'Node', cell: (n) => n.node },
      { head: 'First ack', num: true, cell: (n) => relSeconds(m.rel(n.first)) },
      { head: 'Last ack', num: true, cell: (n) => relSeconds(m.rel(n.last)) },
      { head: 'Writes', num: true, cell: (n) => count(n.writes) },
    ],
    e.nodes,
  )}<p class="muted">Split-brain writes (acknowledged while two nodes accepted writes): ${count(e.count)}.</p>`;
}

function primaryLoss(m: ReportModel): Markup | undefined {
  if (!m.check('write-unavailability') && !m.check('acked-writes-lost') && !m.check('split-brain')) {
    return undefined;
  }
  return card(
    {
      id: 'primary-loss',
      title: 'Primary loss',
      body: html`${timeline(m)}${outages(m)}${lost(m)}${nodes(m)}`,
    },
    'Writes go to the PostgreSQL primary. When it dies, writes fail until a replica is promoted and the write endpoint points at it; writes the old primary acknowledged but never replicated are lost.',
  );
}

export const primaryLossSection: CheckerSection = {
  id: 'primary-loss',
  toc: 'Primary loss',
  render: primaryLoss,
};
