/** Sessions lost (session-loss): logged-in users who got a 401 because their session vanished. */
import { barChart } from '../charts/bar-chart.ts';
import { type CheckerSection, card, type Tile, table, tiles, unreadable } from '../components.ts';
import { evidenceOf } from '../evidence.ts';
import { count, relSeconds } from '../format.ts';
import { html, type Markup } from '../html.ts';
import type { ReportModel } from '../model.ts';

function sessions(m: ReportModel): Markup | undefined {
  const check = m.check('sessions-lost');
  if (!check) return undefined;
  const e = evidenceOf(check, 'sessions-lost');
  if (!e) return card({ id: 'sessions', title: 'Sessions lost', body: unreadable('sessions-lost') });
  const known = m.result.phases.map((p) => p.name);
  const phases = [
    ...known.filter((p) => p in e.byPhase),
    ...Object.keys(e.byPhase).filter((p) => !known.includes(p)),
  ];
  const list: Tile[] = [
    { label: 'sessions lost', value: count(e.lost), tone: e.lost ? 'bad' : 'ok' },
    {
      label: 'users affected',
      value: `${count(e.usersAffected)} of ${count(e.users)}`,
      tone: e.usersAffected ? 'bad' : undefined,
    },
    { label: 'forced re-logins', value: count(e.forcedRelogins) },
    { label: 'logins', value: count(e.logins) },
    { label: 'cart requests while logged in', value: count(e.cartRequests) },
    { label: '401 while logged out', value: count(e.unauthenticated) },
  ];
  const perPhase = barChart({
    label: 'Sessions lost per phase',
    categories: phases,
    highlight: 'fault',
    series: [
      { name: 'logins', cls: 'c1', values: phases.map((p) => e.byPhase[p]?.logins ?? null) },
      { name: 'sessions lost', cls: 'bad', values: phases.map((p) => e.byPhase[p]?.lost ?? null) },
      {
        name: 'forced re-logins',
        cls: 'c4',
        values: phases.map((p) => e.byPhase[p]?.forcedRelogins ?? null),
      },
    ],
    yFormat: (v) => count(v),
    width: 1080,
    height: 220,
  });
  type L = (typeof e.losses)[number];
  const losses = table<L>(
    [
      { head: 'User', cell: (l) => l.sessionId },
      { head: 'Logged in', num: true, cell: (l) => relSeconds(m.rel(l.loggedInAt)) },
      { head: 'On', cell: (l) => l.loginServedBy ?? '' },
      { head: 'Lost (401)', num: true, cell: (l) => relSeconds(m.rel(l.lostAt)) },
      { head: 'Request', cell: (l) => html`<code>${l.request}</code>` },
      { head: 'Answered by', cell: (l) => l.servedBy ?? '' },
      { head: 'Phase', cell: (l) => l.phase ?? '' },
    ],
    e.losses,
  );
  const omitted = e.omittedLosses ? html`<p class="muted">… and ${count(e.omittedLosses)} more.</p>` : '';
  const body = html`${tiles(list)}<h3>Per phase</h3>${perPhase}<h3>Lost sessions</h3>${losses}${omitted}`;
  return card(
    { id: 'sessions', title: 'Sessions lost', body },
    'A session is lost when a logged-in user’s cart request gets 401: the server that held the session is gone (memory sessions) or the store forgot it. The user has to log in again.',
  );
}

export const sessionsSection: CheckerSection = { id: 'sessions', toc: 'Sessions lost', render: sessions };
