/**
 * Where and how the run happened — runtime, versions, seed, git sha, Node — whether the load
 * generator kept its schedule (if not, latencies are the generator's, not the system's), and
 * whether everything was healed afterwards.
 */
import { writtenSchemaVersion } from '../../../harness/journal/index.ts';
import { totalOf } from '../../../harness/metrics/counters.ts';
import { badge, card, kv, type Tile, tiles } from '../components.ts';
import { count, ms } from '../format.ts';
import { html, type Markup } from '../html.ts';
import type { ReportModel } from '../model.ts';

function numberAt(o: unknown, ...path: string[]): number | undefined {
  let v: unknown = o;
  for (const key of path) v = v && typeof v === 'object' ? (v as Record<string, unknown>)[key] : undefined;
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

export function generatorHealth(m: ReportModel): Markup {
  const g = m.result.generator;
  const all = m.metrics.phases.map((p) => p.counters);
  const sum = (f: (c: (typeof all)[number]) => number) => all.reduce((n, c) => n + f(c), 0);
  const clamped = m.metrics.phases.reduce((n, p) => n + p.clamped.latency.low + p.clamped.latency.high, 0);
  const list: Tile[] = [
    { label: 'generator', value: g.valid ? 'on schedule' : 'fell behind', tone: g.valid ? 'ok' : 'bad' },
    {
      label: 'send lag p50 / p99',
      value: `${ms(numberAt(g, 'sendLagMs', 'p50'))} / ${ms(numberAt(g, 'sendLagMs', 'p99'))}`,
    },
    { label: 'send lag max', value: ms(numberAt(g, 'sendLagMs', 'max')) },
    {
      label: 'event-loop delay p99 / max',
      value: `${ms(numberAt(g, 'eventLoopDelayMs', 'p99'))} / ${ms(numberAt(g, 'eventLoopDelayMs', 'max'))}`,
    },
    { label: 'requests due', value: count(sum(totalOf)) },
    {
      label: 'ok / failed / timed out',
      value: `${count(sum((c) => c.ok))} / ${count(sum((c) => c.fail))} / ${count(sum((c) => c.info))}`,
    },
    {
      label: 'dropped (in-flight cap)',
      value: count(sum((c) => c.dropped)),
      tone: sum((c) => c.dropped) ? 'warn' : undefined,
    },
    {
      label: 'latencies clamped to the histogram range',
      value: count(clamped),
      tone: clamped ? 'warn' : undefined,
    },
  ];
  return html`${tiles(list)}${g.reason ? html`<p class="muted">${g.reason}</p>` : ''}`;
}

/** "2.6 s: pg-primary 0.4 s → pg-replica-1 0.9 s → web-1 0.8 s → lb 0.7 s" */
function startText(start: NonNullable<ReportModel['result']['topology']['start']>): string {
  const chain = start.chain.map((s) => `${s.step} ${ms(s.ms)}`).join(' → ');
  return `${ms(start.totalMs)}: ${chain}`;
}

export function environmentSection(m: ReportModel): Markup {
  const r = m.result;
  const env = r.environment;
  const general = kv([
    ['target', r.topology.target ?? 'shop'],
    ...(r.topology.app ? ([['web app', r.topology.app]] as [string, string][]) : []),
    ['runtime', env.runtime],
    ...(r.topology.start ? ([['topology start', startText(r.topology.start)]] as [string, string][]) : []),
    ['seed', String(env.seed)],
    ['duration scale', String(env.durationScale)],
    ['git sha', env.gitSha ? html`<code>${env.gitSha}</code>` : 'not in a git checkout'],
    ['node', env.node],
    ['cpus', String(env.cpus)],
    ['started', r.startedAt],
    ['ended', r.endedAt],
    ['schema version', String(writtenSchemaVersion(r))],
  ]);
  const versions = kv(Object.entries(env.versions).map(([k, v]) => [k, v]));
  const options = kv(
    Object.entries(r.topology.options).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]),
  );
  const heal = r.healAudit.length
    ? html`${badge('not healed', 'bad')}<ul>${r.healAudit.map((p) => html`<li>${p}</li>`)}</ul>`
    : html`${badge('all healed', 'ok')} <span class="muted">no toxic left, every proxy enabled, every service up after the run.</span>`;
  const body = html`<h3>Load generator health</h3>${generatorHealth(m)}<h3>Heal audit</h3><p>${heal}</p><div class="grid2"><div><h3>Run</h3>${general}</div><div><h3>Versions</h3>${versions}<h3>Topology options</h3>${options}</div></div>`;
  return card(
    { id: 'environment', title: 'Environment and generator health', body },
    'A run whose generator fell behind its schedule is invalid: its latencies would be the generator’s, not the system’s.',
  );
}
