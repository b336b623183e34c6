/**
 * sessions-lost: logged-in users whose server-side session vanished (a 401 on a cart request).
 *
 * What counts, per simulated user (sample.sessionId), in intended-time order:
 * - A *login* is a successful (ok, not dropped) sample of the login request (default "POST /login");
 *   it starts a new session for that user.
 * - A session is *lost* when a cart request (default "GET /cart", "POST /cart/items") made while
 *   logged in gets status 401. One loss per session: the user is logged out from then on. A 401
 *   before any successful login (or after the loss, before logging in again) is no loss; it is
 *   counted as `unauthenticated`.
 * - A *forced re-login* is the first successful login of a user after a loss.
 * - Other failures of cart requests (503, timeouts, ...) are errors, not losses.
 * Per phase: losses by the 401's intendedAt, logins and re-logins by the login's intendedAt, cart
 * requests (made while logged in) by their intendedAt.
 *
 * valid: 'unknown' when no cart request was made while logged in (nothing could be lost);
 * otherwise lost ≤ maxLost (default 0). value: sessions lost (count).
 */
import { z } from 'zod';
import { round3 as r3 } from '../core/round.ts';
import type { Sample } from '../samples/sample.ts';
import { type Checker, type CheckResult, defineChecker, type RunRecord } from './checker.ts';
import { bounded, byIntended, entry, isFailure, parseOptions, phaseOf, zNum } from './support.ts';

export const sessionsLostOptions = z
  .object({
    maxLost: z.number().int().min(0).default(0),
    loginRequest: z.string().min(1).default('POST /login'),
    cartRequests: z.array(z.string().min(1)).min(1).default(['GET /cart', 'POST /cart/items']),
  })
  .strict();
export type SessionsLostOptions = z.input<typeof sessionsLostOptions>;

export interface SessionCounts {
  logins: number;
  /** Cart requests made while logged in. */
  cartRequests: number;
  lost: number;
  forcedRelogins: number;
  /** 401s on cart requests while not logged in (not losses). */
  unauthenticated: number;
}

export interface SessionLoss {
  sessionId: string;
  /** When the lost session was created (the login's doneAt) and by which web server. */
  loggedInAt: number;
  loginServedBy?: string;
  /** The 401: its intendedAt, request and web server. */
  lostAt: number;
  request: string;
  servedBy?: string;
  phase?: string;
}

export interface SessionsLostAnalysis extends SessionCounts {
  /** Distinct users that lost at least one session. */
  usersAffected: number;
  users: number;
  byPhase: Record<string, SessionCounts>;
  /** The first losses (at most 20). */
  losses: SessionLoss[];
  omittedLosses: number;
}

function empty(): SessionCounts {
  return { logins: 0, cartRequests: 0, lost: 0, forcedRelogins: 0, unauthenticated: 0 };
}

interface UserState {
  session?: { at: number; servedBy?: string };
  lostPending: boolean;
}

export function analyzeSessionsLost(run: RunRecord, options?: SessionsLostOptions): SessionsLostAnalysis {
  const opts = parseOptions('sessions-lost', sessionsLostOptions, options);
  const cart = new Set(opts.cartRequests);
  const total = empty();
  const byPhase: Record<string, SessionCounts> = {};
  for (const p of run.phases) byPhase[p.name] = empty();
  const bump = (s: Sample, key: keyof SessionCounts) => {
    total[key]++;
    const phase = phaseOf(run, s);
    if (phase !== undefined) entry(byPhase, phase, empty)[key]++;
  };

  const users = new Map<string, UserState>();
  const affected = new Set<string>();
  const losses: SessionLoss[] = [];
  for (const s of byIntended(run.samples)) {
    if (s.sessionId === undefined) continue;
    const isLogin = s.request === opts.loginRequest;
    if (!isLogin && !cart.has(s.request)) continue;
    let user = users.get(s.sessionId);
    if (!user) {
      user = { lostPending: false };
      users.set(s.sessionId, user);
    }
    if (isLogin) {
      if (isFailure(s)) continue;
      bump(s, 'logins');
      if (user.lostPending) bump(s, 'forcedRelogins');
      user.lostPending = false;
      user.session = { at: s.doneAt, ...(s.servedBy ? { servedBy: s.servedBy } : {}) };
      continue;
    }
    if (!user.session) {
      if (s.status === 401) bump(s, 'unauthenticated');
      continue;
    }
    bump(s, 'cartRequests');
    if (s.status !== 401) continue;
    bump(s, 'lost');
    affected.add(s.sessionId);
    const phase = phaseOf(run, s);
    losses.push({
      sessionId: s.sessionId,
      loggedInAt: r3(user.session.at),
      ...(user.session.servedBy ? { loginServedBy: user.session.servedBy } : {}),
      lostAt: r3(s.intendedAt),
      request: s.request,
      ...(s.servedBy ? { servedBy: s.servedBy } : {}),
      ...(phase ? { phase } : {}),
    });
    user.session = undefined;
    user.lostPending = true;
  }
  const list = bounded(losses);
  return {
    ...total,
    usersAffected: affected.size,
    users: users.size,
    byPhase,
    losses: list.items,
    omittedLosses: list.omitted,
  };
}

export function sessionsLostChecker(options?: SessionsLostOptions): Checker {
  const opts = parseOptions('sessions-lost', sessionsLostOptions, options);
  return {
    name: 'sessions-lost',
    check(run: RunRecord): CheckResult {
      const a = analyzeSessionsLost(run, opts);
      const base = {
        checker: 'sessions-lost',
        unit: 'count' as const,
        evidence: { ...a, maxLost: opts.maxLost },
      };
      if (a.cartRequests === 0) {
        return {
          ...base,
          valid: 'unknown',
          summary: `no cart request was made while logged in (${a.logins} logins): no session could be lost`,
        };
      }
      return {
        ...base,
        valid: a.lost <= opts.maxLost,
        value: a.lost,
        summary:
          `${a.lost} of ${a.logins} sessions lost (limit ≤ ${opts.maxLost}), ${a.usersAffected} of ${a.users} users affected, ` +
          `${a.forcedRelogins} forced re-logins`,
      };
    },
  };
}

const sessionCountsEvidence = z.object({
  logins: zNum,
  cartRequests: zNum,
  lost: zNum,
  forcedRelogins: zNum,
  unauthenticated: zNum,
});

// Without a cart request nothing could be lost: the checker says unknown, and so do its metrics.
const sessions = (a: SessionsLostAnalysis, phase: string | undefined): SessionCounts | undefined =>
  a.cartRequests === 0 ? undefined : phase === undefined ? a : a.byPhase[phase];

export const sessionsLost = defineChecker({
  name: 'sessions-lost',
  options: sessionsLostOptions,
  evidence: sessionCountsEvidence.extend({
    usersAffected: zNum,
    users: zNum,
    maxLost: zNum.optional(),
    byPhase: z.record(z.string(), sessionCountsEvidence),
    losses: z.array(
      z.object({
        sessionId: z.string(),
        loggedInAt: zNum,
        loginServedBy: z.string().optional(),
        lostAt: zNum,
        request: z.string(),
        servedBy: z.string().optional(),
        phase: z.string().optional(),
      }),
    ),
    omittedLosses: zNum.optional(),
  }),
  value: { unit: 'count', better: 'lower' },
  analyze: analyzeSessionsLost,
  metrics: {
    'sessions-lost': {
      unit: 'count',
      scope: 'phase',
      better: 'lower',
      description: 'logged-in sessions that got a 401 on a cart request',
      resolve: (a, phase) => sessions(a, phase)?.lost,
    },
    'forced-relogins': {
      unit: 'count',
      scope: 'phase',
      better: 'lower',
      description: 'first successful logins after a lost session',
      resolve: (a, phase) => sessions(a, phase)?.forcedRelogins,
    },
  },
  create: sessionsLostChecker,
});
