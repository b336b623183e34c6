/** Building blocks the sections share: a titled card, number tiles, tables and verdict badges. */
import { html, type Interpolated, type Markup } from './html.ts';
import type { ReportModel } from './model.ts';

export interface Section {
  /** Anchor id (also the table-of-contents link). */
  id: string;
  title: string;
  body: Markup;
}

/**
 * The report section a checker's results are drawn in (see sections/checkers.ts): its anchor id,
 * its table-of-contents title, and how to draw it (undefined when the run has nothing for it).
 */
export interface CheckerSection {
  id: string;
  toc: string;
  render(m: ReportModel): Markup | undefined;
}

export function card(s: Section, caption?: Interpolated): Markup {
  return html`<section class="card" id="${s.id}"><h2>${s.title}</h2>${caption ? html`<p class="caption">${caption}</p>` : ''}${s.body}</section>`;
}

export interface Tile {
  label: string;
  value: string;
  tone?: 'ok' | 'bad' | 'warn';
  title?: string;
}

export function tiles(list: readonly Tile[]): Markup {
  return html`<div class="tiles">${list.map(
    (t) =>
      html`<div class="tile${t.tone ? ` ${t.tone}` : ''}"${t.title ? html` title="${t.title}"` : ''}><div class="value">${t.value}</div><div class="label">${t.label}</div></div>`,
  )}</div>`;
}

export interface Column<T> {
  head: string;
  cell: (row: T) => Interpolated;
  num?: boolean;
}

export function table<T>(
  columns: readonly Column<T>[],
  rows: readonly T[],
  rowClass?: (row: T) => string | undefined,
): Markup {
  if (rows.length === 0) return html`<p class="empty">Nothing recorded.</p>`;
  return html`<div class="table-wrap"><table><thead><tr>${columns.map((c) => html`<th${c.num ? html` class="num"` : ''}>${c.head}</th>`)}</tr></thead><tbody>${rows.map(
    (row) => {
      const cls = rowClass?.(row);
      return html`<tr${cls ? html` class="${cls}"` : ''}>${columns.map((c) => html`<td${c.num ? html` class="num"` : ''}>${c.cell(row)}</td>`)}</tr>`;
    },
  )}</tbody></table></div>`;
}

/** holds / FAILS / unknown, as the CLI prints them. */
export function holdsBadge(holds: boolean | 'unknown'): Markup {
  if (holds === true) return html`<span class="badge b-holds">holds</span>`;
  if (holds === false) return html`<span class="badge b-fails">FAILS</span>`;
  return html`<span class="badge b-unknown">unknown</span>`;
}

export function badge(text: string, tone: 'ok' | 'bad' | 'warn' | 'unknown' | 'info'): Markup {
  return html`<span class="badge b-${tone}">${text}</span>`;
}

export function kv(pairs: readonly [string, Interpolated][]): Markup {
  return html`<dl class="kv">${pairs.map(([k, v]) => html`<dt>${k}</dt><dd>${v}</dd>`)}</dl>`;
}

export function unreadable(what: string): Markup {
  return html`<p class="empty">The ${what} evidence in this result is not in the shape this report reads.</p>`;
}
