/** The report's one stylesheet, inlined: system fonts, a calm light palette, charts coloured by class. */
export const STYLE = `
:root {
  --bg: #f4f5f7; --card: #fff; --ink: #1b1f24; --ink-2: #4b5563; --ink-3: #6b7280; --line: #e3e6ea;
  --grid: #eef0f3; --accent: #2563eb;
  --ok: #15803d; --ok-bg: #e7f6ec; --bad: #c62828; --bad-bg: #fdecec; --warn: #b45309; --warn-bg: #fdf3e1;
  --unknown: #52606d; --unknown-bg: #eef1f4;
  --c1: #2563eb; --c2: #d9366f; --c3: #0d9488; --c4: #d97706; --c5: #7c3aed; --c6: #64748b;
  --fault: #dc2626;
}
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body {
  margin: 0; background: var(--bg); color: var(--ink);
  font: 14px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", "DejaVu Sans", Arial, sans-serif;
  font-variant-numeric: tabular-nums;
}
main { max-width: 1180px; margin: 0 auto; padding: 28px 24px 48px; }
h1 { font-size: 26px; line-height: 1.2; margin: 0; letter-spacing: -0.01em; }
h2 { font-size: 17px; margin: 0 0 4px; }
h3 { font-size: 14px; margin: 18px 0 6px; color: var(--ink-2); }
p { margin: 6px 0; }
code, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "DejaVu Sans Mono", monospace; font-size: 12.5px; }
a { color: var(--accent); text-decoration: none; }
a:hover { text-decoration: underline; }
.muted { color: var(--ink-3); }
.caption { color: var(--ink-3); font-size: 13px; margin: 0 0 12px; max-width: 880px; }

header.run { display: grid; grid-template-columns: 1fr auto; gap: 16px 24px; align-items: start; margin-bottom: 18px; }
header.run .title { display: flex; flex-wrap: wrap; align-items: baseline; gap: 10px; }
header.run .description { color: var(--ink-2); margin-top: 8px; max-width: 820px; }
header.run .meta { color: var(--ink-3); font-size: 13px; margin-top: 6px; }
.pill { display: inline-block; padding: 2px 10px; border-radius: 999px; background: #e8eefc; color: #1e3a8a; font-size: 13px; font-weight: 600; }
.verdict { min-width: 220px; text-align: right; }
.verdict .big { display: inline-block; font-size: 22px; font-weight: 800; letter-spacing: 0.06em; padding: 6px 18px; border-radius: 8px; }
.verdict .status { margin-top: 6px; color: var(--ink-2); font-size: 13px; }
.v-pass { background: var(--ok-bg); color: var(--ok); }
.v-fail { background: var(--bad-bg); color: var(--bad); }
.v-invalid { background: var(--warn-bg); color: var(--warn); }
.reason { grid-column: 1 / -1; border-left: 4px solid var(--warn); background: var(--warn-bg); padding: 8px 12px; border-radius: 4px; color: #6b3a06; }
.reason.bad { border-color: var(--bad); background: var(--bad-bg); color: #7f1d1d; }

nav.toc { display: flex; flex-wrap: wrap; gap: 6px 14px; margin: 0 0 18px; font-size: 13px; }
nav.toc a { color: var(--ink-2); border-bottom: 1px dotted var(--ink-3); }

section.card { background: var(--card); border: 1px solid var(--line); border-radius: 10px; padding: 18px 20px 20px; margin: 0 0 18px; box-shadow: 0 1px 2px rgba(16, 24, 40, 0.04); }
.grid2 { display: grid; grid-template-columns: repeat(auto-fit, minmax(430px, 1fr)); gap: 8px 24px; }
.grid2 > div, .grid3 > div { min-width: 0; }
.grid3 { display: grid; grid-template-columns: repeat(auto-fit, minmax(300px, 1fr)); gap: 8px 20px; }

.tiles { display: grid; grid-template-columns: repeat(auto-fill, minmax(190px, 1fr)); gap: 10px; margin: 10px 0 14px; }
.tile { border: 1px solid var(--line); border-radius: 8px; padding: 8px 12px; background: #fbfbfc; }
.tile .value { font-size: 18px; font-weight: 700; line-height: 1.3; }
.tile .label { color: var(--ink-3); font-size: 12px; }
.tile.bad .value { color: var(--bad); } .tile.ok .value { color: var(--ok); } .tile.warn .value { color: var(--warn); }

table { border-collapse: collapse; width: 100%; font-size: 13px; }
th, td { text-align: left; padding: 6px 9px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { color: var(--ink-3); font-weight: 600; font-size: 12px; text-transform: uppercase; letter-spacing: 0.03em; background: #fafbfc; }
td.num, th.num { text-align: right; white-space: nowrap; }
tbody tr:hover { background: #f8fafc; }
tr.muted td { color: var(--ink-3); }
td code { white-space: nowrap; }
tr.fault-row td { background: #fff7f7; }
.table-wrap { overflow-x: auto; }

.badge { display: inline-block; min-width: 64px; text-align: center; padding: 1px 8px; border-radius: 4px; font-size: 12px; font-weight: 700; letter-spacing: 0.02em; }
.b-holds, .b-ok { background: var(--ok-bg); color: var(--ok); }
.b-fails, .b-bad { background: var(--bad-bg); color: var(--bad); }
.b-unknown { background: var(--unknown-bg); color: var(--unknown); }
.b-warn { background: var(--warn-bg); color: var(--warn); }
.b-info { background: #e8eefc; color: #1e3a8a; }

svg.chart, svg.diagram { display: block; width: 100%; height: auto; margin: 6px 0 4px; overflow: visible; }
svg text { font-family: inherit; font-size: 12px; fill: var(--ink-2); stroke: none; }
svg .grid { stroke: var(--grid); stroke-width: 1; }
svg .baseline, svg .tick { stroke: #b8bec7; stroke-width: 1; }
svg .axis-label, svg .legend { fill: var(--ink-3); }
svg .series { fill: none; stroke-width: 2; stroke-linejoin: round; stroke-linecap: round; }
svg .series.dashed { stroke-dasharray: 5 4; }
svg .area { stroke: none; fill-opacity: 0.14; }
svg .swatch { stroke: none; }
svg .dot { stroke: #fff; stroke-width: 1; }
svg .bar { stroke: none; }
svg .bar-value { font-size: 11px; fill: var(--ink-2); }
svg .category { fill: var(--ink-2); }
svg .slot-highlight { fill: var(--fault); fill-opacity: 0.06; }
svg .band rect { fill: var(--fault); fill-opacity: 0.09; }
svg .band text { fill: var(--fault); font-size: 11px; font-weight: 600; paint-order: stroke; stroke: #fff; stroke-width: 3px; stroke-linejoin: round; }
svg .phase line { stroke: #9aa3ae; stroke-dasharray: 3 3; }
svg .phase text { fill: var(--ink-3); font-size: 11px; text-transform: uppercase; letter-spacing: 0.05em; }
svg .marker line { stroke-width: 1.5; stroke-dasharray: 4 3; }
svg .marker text { font-size: 11px; font-weight: 600; paint-order: stroke; stroke: #fff; stroke-width: 3px; stroke-linejoin: round; }
${[1, 2, 3, 4, 5, 6]
  .map(
    (i) =>
      `svg .c${i} { stroke: var(--c${i}); fill: var(--c${i}); } svg .series.c${i} { fill: none; } svg .marker.c${i} line { stroke: var(--c${i}); } svg .marker.c${i} text { fill: var(--c${i}); }`,
  )
  .join('\n')}
svg .ok { stroke: var(--ok); fill: var(--ok); } svg .series.ok { fill: none; }
svg .bad { stroke: var(--bad); fill: var(--bad); } svg .series.bad { fill: none; }
svg .warn { stroke: var(--warn); fill: var(--warn); } svg .series.warn { fill: none; }
svg .muted { stroke: #9aa3ae; fill: #9aa3ae; } svg .series.muted { fill: none; }
svg .marker.ok line { stroke: var(--ok); } svg .marker.ok text { fill: var(--ok); }
svg .marker.bad line { stroke: var(--bad); } svg .marker.bad text { fill: var(--bad); }
svg .marker.warn line { stroke: var(--warn); } svg .marker.warn text { fill: var(--warn); }

svg .node rect { fill: #fff; stroke: #9aa3ae; stroke-width: 1.5; }
svg .node text { fill: var(--ink); font-size: 12.5px; font-weight: 600; }
svg .node .sub { fill: var(--ink-3); font-size: 10.5px; font-weight: 400; }
svg .node.lb rect { fill: #eef3ff; stroke: #5b7fd6; }
svg .node.cdn rect { fill: #f4efff; stroke: #8b6ad8; }
svg .node.web rect { fill: #ecfaf7; stroke: #2aa198; }
svg .node.cache rect, svg .node.sessions rect { fill: #fff6e8; stroke: #d9962b; }
svg .node.pg rect { fill: #eef2f8; stroke: #50698f; }
svg .node.load rect { fill: #f6f7f9; stroke: #9aa3ae; stroke-dasharray: 4 3; }
svg .node.faulted rect { stroke: var(--fault); stroke-width: 3; fill: #fff0f0; }
svg .node.faulted text.flag { fill: var(--fault); font-size: 11px; font-weight: 700; }
svg .edge { stroke: #c2c8d0; stroke-width: 1.2; fill: none; }
svg .edge.repl { stroke: #7d8fb0; stroke-dasharray: 5 3; }
svg .edge.faulted { stroke: var(--fault); stroke-width: 3.5; stroke-dasharray: 7 4; }
svg .edge-label { fill: var(--fault); font-size: 11px; font-weight: 700; }
svg .lane-label { fill: var(--ink-2); font-size: 12px; font-weight: 600; }
svg .state { stroke: #fff; stroke-width: 1; }
svg .state.up { fill: #86d5a0; } svg .state.down { fill: #ef8a8a; } svg .state.transit { fill: #f2c46d; } svg .state.other { fill: #c9ced6; }

dl.kv { display: grid; grid-template-columns: max-content 1fr; gap: 4px 18px; margin: 6px 0; font-size: 13px; }
dl.kv dt { color: var(--ink-3); }
dl.kv dd { margin: 0; word-break: break-word; }
footer { color: var(--ink-3); font-size: 12px; text-align: center; margin-top: 24px; }
.empty { color: var(--ink-3); font-style: italic; }

@media (max-width: 760px) {
  main { padding: 16px 12px 32px; }
  header.run { grid-template-columns: 1fr; }
  .verdict { text-align: left; }
  .grid2, .grid3 { grid-template-columns: 1fr; }
}
@media print {
  body { background: #fff; }
  section.card { break-inside: avoid; box-shadow: none; }
  nav.toc { display: none; }
}
`;
