/**
 * The shop topology as a diagram: load generator → CDN and LB → web tier → caches, session store and
 * PostgreSQL (reads from replicas, writes to the primary, WAL from primary to replicas). The faulted
 * service or link (from the faults' ids) is drawn in red.
 */

import type { FaultRecord } from '../../../harness/journal/index.ts';
import { c, svg } from '../charts/axes.ts';
import { card } from '../components.ts';
import { html, type Markup } from '../html.ts';
import type { ReportModel } from '../model.ts';

interface Box {
  name: string;
  cls: string;
  sub: string;
  x: number;
  y: number;
}

const W = 132;
const H = 40;
const GAP = 58;
/** Web servers sit further apart: a fault's flag goes under its box. */
const WEB_GAP = 68;
const COL = { load: 76, edge: 250, web: 470, data: 720, primary: 950 };

/** Which services and links the faults hit: "web-2", "cdn->lb", replica-lag's replication links. */
export function faultedParts(
  faults: readonly FaultRecord[],
  services: readonly string[],
  links: readonly string[],
): { services: Map<string, string>; links: Map<string, string> } {
  const hitServices = new Map<string, string>();
  const hitLinks = new Map<string, string>();
  for (const f of faults) {
    const target = f.target ?? '';
    if (links.includes(target)) hitLinks.set(target, f.kind);
    else if (services.includes(target)) hitServices.set(target, f.kind);
    else if (f.kind === 'replica-lag') {
      const replicas =
        target === 'all' ? services.filter((s) => /^pg-replica-\d+$/.test(s)) : target.split('+');
      for (const r of replicas)
        if (links.includes(`${r}->pg-primary`)) hitLinks.set(`${r}->pg-primary`, f.kind);
    }
  }
  return { services: hitServices, links: hitLinks };
}

function column(names: string[], x: number, centerY: number, gap = GAP): Box[] {
  const top = centerY - ((names.length - 1) * gap) / 2;
  return names.map((name, i) => ({ name, cls: '', sub: '', x, y: top + i * gap }));
}

function describe(name: string): { cls: string; sub: string } {
  if (name === 'lb') return { cls: 'lb', sub: 'HAProxy' };
  if (name === 'cdn') return { cls: 'cdn', sub: 'Varnish edge' };
  if (name === 'load') return { cls: 'load', sub: 'open-loop' };
  if (name.startsWith('web-')) return { cls: 'web', sub: 'Node app' };
  if (name.startsWith('cache-')) return { cls: 'cache', sub: 'Redis cache' };
  if (name === 'sessions') return { cls: 'sessions', sub: 'Redis sessions' };
  if (name === 'pg-primary') return { cls: 'pg', sub: 'PostgreSQL writes' };
  if (name.startsWith('pg-replica-')) return { cls: 'pg', sub: 'PostgreSQL reads' };
  return { cls: '', sub: '' };
}

/** A horizontal S-curve from (x1, y1) to (x2, y2). */
function curve(x1: number, y1: number, x2: number, y2: number): string {
  const mid = (x1 + x2) / 2;
  return `M${c(x1)},${c(y1)} C${c(mid)},${c(y1)} ${c(mid)},${c(y2)} ${c(x2)},${c(y2)}`;
}

export function topologyDiagram(m: ReportModel): Markup {
  const { services, links } = m.result.topology;
  const has = (s: string) => services.includes(s);
  const webs = services
    .filter((s) => /^web-\d+$/.test(s))
    .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  const data = [
    ...services
      .filter((s) => /^cache-\d+$/.test(s))
      .sort((a, b) => a.localeCompare(b, 'en', { numeric: true })),
    ...(has('sessions') ? ['sessions'] : []),
    ...services
      .filter((s) => /^pg-replica-\d+$/.test(s))
      .sort((a, b) => a.localeCompare(b, 'en', { numeric: true })),
  ];
  const span = Math.max((webs.length - 1) * WEB_GAP + H + 30, (data.length - 1) * GAP + H, 92 + H + 10);
  const mid = 28 + span / 2;
  const boxes = new Map<string, Box>();
  const place = (list: Box[]) => {
    for (const b of list) boxes.set(b.name, { ...b, ...describe(b.name) });
  };
  place(column(['load'], COL.load, mid));
  // CDN above the LB with room between them for its origin link (cdn->lb) and a fault's label.
  place(column([...(has('cdn') ? ['cdn'] : []), ...(has('lb') ? ['lb'] : [])], COL.edge, mid, 92));
  place(column(webs, COL.web, mid, WEB_GAP));
  place(column(data, COL.data, mid));
  const replicas = data.filter((d) => d.startsWith('pg-replica-')).map((d) => boxes.get(d) as Box);
  if (has('pg-primary')) {
    const first = replicas[0];
    const last = replicas.at(-1);
    const y = first && last ? (first.y + last.y) / 2 : mid;
    place([{ name: 'pg-primary', cls: '', sub: '', x: COL.primary, y }]);
  }
  const hit = faultedParts(m.faults, services, links);
  const edges: Markup[] = [];
  const labels: Markup[] = [];
  const edge = (d: string, cls: string, title: string) =>
    edges.push(html`<path class="edge ${cls}" d="${d}"><title>${title}</title></path>`);
  const right = (b: Box) => b.x + W / 2;
  const left = (b: Box) => b.x - W / 2;

  // The web tier's container: every web server talks to every backend, drawn once from the tier.
  const webBoxes = webs.map((w) => boxes.get(w) as Box);
  const tierTop = (webBoxes[0]?.y ?? mid) - H / 2 - 10;
  const tierBottom = (webBoxes.at(-1)?.y ?? mid) + H / 2 + 18;
  const tierRight = COL.web + W / 2 + 12;
  const load = boxes.get('load') as Box;
  for (const to of ['cdn', 'lb']) {
    const b = boxes.get(to);
    if (b) edge(curve(right(load), load.y, left(b), b.y), '', `load generator → ${to}`);
  }
  // One "✕ kind" label per faulted group of curves, under the lowest one.
  const curveLabels = new Map<string, { x: number; y: number }>();
  for (const link of links) {
    const [from, to] = link.split('->') as [string, string | undefined];
    const a = boxes.get(from);
    const b = to === undefined ? undefined : boxes.get(to);
    if (!a || !b || to === undefined) continue;
    const kind = hit.links.get(link);
    const cls = kind ? 'faulted' : to === 'pg-primary' && from.startsWith('pg-replica-') ? 'repl' : '';
    if (from === 'cdn' && to === 'lb') {
      edge(`M${c(a.x)},${c(a.y + H / 2)} L${c(b.x)},${c(b.y - H / 2)}`, cls, link);
      if (kind)
        labels.push(
          html`<text class="edge-label" x="${c(a.x - 8)}" y="${c((a.y + b.y) / 2 + 4)}" text-anchor="end">✕ ${kind}</text>`,
        );
      continue;
    }
    // Web servers reach their backends through the tier's edges (below); only a faulted one is drawn.
    if (from.startsWith('web-') && !kind) continue;
    edge(curve(right(a), a.y, left(b), b.y), cls, link);
    if (kind) {
      const at = { x: (right(a) + left(b)) / 2, y: Math.max(a.y, b.y) + 16 };
      const seen = curveLabels.get(kind);
      if (!seen || at.y > seen.y) curveLabels.set(kind, at);
    }
  }
  for (const [kind, at] of curveLabels)
    labels.push(
      html`<text class="edge-label" x="${c(at.x)}" y="${c(at.y)}" text-anchor="middle">✕ ${kind}</text>`,
    );
  let lowest = Math.max(tierBottom, ...[...boxes.values()].map((b) => b.y + H / 2 + 16));
  if (webs.length) {
    for (const name of data) {
      const b = boxes.get(name) as Box;
      edge(curve(tierRight, (tierTop + tierBottom) / 2, left(b), b.y), '', `web tier → ${name}`);
    }
    const primary = boxes.get('pg-primary');
    if (primary) {
      const below = Math.max(tierBottom, ...data.map((d) => (boxes.get(d) as Box).y + H / 2)) + 22;
      lowest = below;
      edge(
        `M${c(COL.web)},${c(tierBottom)} L${c(COL.web)},${c(below)} L${c(primary.x)},${c(below)} L${c(primary.x)},${c(primary.y + H / 2)}`,
        '',
        'web tier → pg-primary (writes)',
      );
      labels.push(
        html`<text class="axis-label" x="${c((COL.data + COL.primary) / 2)}" y="${c(below - 5)}" text-anchor="middle">writes</text>`,
      );
    }
    if (replicas.length && primary) {
      const top = replicas[0] as Box;
      labels.push(
        html`<text class="axis-label" x="${c((right(top) + left(primary)) / 2)}" y="${c(Math.min(top.y, primary.y) - 8)}" text-anchor="middle">WAL</text>`,
      );
    }
  }
  const tier = webs.length
    ? html`<rect x="${c(COL.web - W / 2 - 12)}" y="${c(tierTop)}" width="${c(W + 24)}" height="${c(tierBottom - tierTop)}" rx="10" fill="none" stroke="#b9c2cc" stroke-dasharray="4 4"/><text class="axis-label" x="${c(COL.web)}" y="${c(tierTop - 6)}" text-anchor="middle">web tier${m.result.topology.options.sticky === true ? ' (sticky)' : ''}</text>`
    : '';
  const nodes = [...boxes.values()].map((b) => {
    const kind = hit.services.get(b.name);
    return html`<g class="node ${b.cls}${kind ? ' faulted' : ''}"><rect x="${c(b.x - W / 2)}" y="${c(b.y - H / 2)}" width="${W}" height="${H}" rx="7"/><text x="${c(b.x)}" y="${c(b.y - 2)}" text-anchor="middle">${b.name === 'load' ? 'load' : b.name}</text><text class="sub" x="${c(b.x)}" y="${c(b.y + 12)}" text-anchor="middle">${b.sub}</text>${kind ? html`<text class="flag" x="${c(b.x)}" y="${c(b.y + H / 2 + 13)}" text-anchor="middle">✕ ${kind}</text>` : ''}</g>`;
  });
  return svg(
    { width: 1080, height: Math.round(lowest + 12) },
    'Topology',
    html`${tier}${edges}${nodes}${labels}`,
    'diagram',
  );
}

export function topologySection(m: ReportModel): Markup {
  const faulted = m.faults.map((f) => f.id);
  const o = m.result.topology.options;
  const opts = [
    typeof o.sessionStore === 'string' ? `sessions in ${o.sessionStore}` : '',
    typeof o.mitigation === 'string' ? `read-your-writes mitigation: ${o.mitigation}` : '',
  ].filter(Boolean);
  return card(
    { id: 'topology', title: 'Topology', body: topologyDiagram(m) },
    html`Every arrow between two services runs through a Toxiproxy proxy named <code>from-&gt;to</code>. ${faulted.length ? html`Faulted (red): <strong>${faulted.join(', ')}</strong>.` : 'No fault was actuated.'} ${opts.join('; ')}`,
  );
}
