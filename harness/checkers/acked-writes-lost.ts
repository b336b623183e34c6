/**
 * acked-writes-lost: acknowledged ledger writes that the database no longer has after the run.
 *
 * - A *write* is a sample with a string detail.ledgerId (client-made, unique per write); it is
 *   *acknowledged* when its outcome is ok (and it was sent). `acknowledged` counts distinct ids.
 * - After the run the harness looks the acknowledged ids up on the current primary and records one
 *   observation with source "ledger.readback": detail { node, checked, missing, missingIds } (the
 *   ids looked up, how many are absent, the first 20 absent ids comma-joined), or { error } when the
 *   read-back failed. The last such event counts.
 * - lost = its `missing`. Each listed missing id is shown with its acknowledgement (doneAt) and the
 *   node that committed it (writtenTo) from the samples, so a report can tell writes the old
 *   primary acknowledged but never replicated from others.
 *
 * valid: 'unknown' without a read-back event, when it failed or is malformed, when nothing was
 * acknowledged, or when it checked none of them; false when lost > maxLost (default 0); true
 * otherwise (a read-back that checked fewer ids than were acknowledged says so in the summary).
 * value: lost (count).
 */
import { z } from 'zod';
import { round3 as r3 } from '../core/round.ts';
import type { RunEventOf } from '../samples/event-log.ts';
import type { Sample } from '../samples/sample.ts';
import { type Checker, type CheckResult, defineChecker, type RunRecord } from './checker.ts';
import { isDropped, ledgerIdOf, MAX_EVIDENCE, parseOptions, zNum, zNumOrNull } from './support.ts';

type Observation = RunEventOf<'observation'>;

export const READBACK_SOURCE = 'ledger.readback';

export const ackedWritesLostOptions = z
  .object({
    /** Most acknowledged writes that may be lost for the check to hold. */
    maxLost: z.number().int().min(0).default(0),
  })
  .strict();
export type AckedWritesLostOptions = z.input<typeof ackedWritesLostOptions>;

const readbackDetail = z.object({
  node: z.string(),
  checked: z.number().int().min(0),
  missing: z.number().int().min(0),
  missingIds: z.string().default(''),
});
const readbackError = z.object({ error: z.string() });

export interface LostWrite {
  ledgerId: string;
  /** Its acknowledgement (doneAt) and the node that committed it; null when no sample has the id. */
  ackedAt: number | null;
  writtenTo: string | null;
  request: string | null;
}

export interface AckedWritesLostAnalysis {
  /** Distinct acknowledged ledger ids. */
  acknowledged: number;
  /** 'ok': read back; 'failed': it recorded an error; 'malformed': unreadable; 'absent': no event. */
  readback: 'ok' | 'failed' | 'malformed' | 'absent';
  readbackError: string | null;
  /** The node read back from, the ids it looked up and how many were missing (null unless 'ok'). */
  node: string | null;
  checked: number | null;
  lost: number | null;
  /** The first missing ids the event lists (at most 20). */
  lostWrites: LostWrite[];
  /** Those listed missing writes by the node that committed them ("unknown" without writtenTo). */
  lostByWrittenTo: Record<string, number>;
}

export function analyzeAckedWritesLost(
  run: RunRecord,
  options?: AckedWritesLostOptions,
): AckedWritesLostAnalysis {
  parseOptions('acked-writes-lost', ackedWritesLostOptions, options);
  const acked = new Map<string, Sample>();
  for (const s of run.samples) {
    const id = ledgerIdOf(s);
    if (id === undefined || s.outcome !== 'ok' || isDropped(s)) continue;
    const seen = acked.get(id);
    if (!seen || s.doneAt < seen.doneAt) acked.set(id, s);
  }
  const event = run.events
    .filter((e): e is Observation => e.kind === 'observation' && e.source === READBACK_SOURCE)
    .sort((a, b) => a.at - b.at)
    .at(-1);
  const none = { node: null, checked: null, lost: null, lostWrites: [], lostByWrittenTo: {} };
  if (!event) return { acknowledged: acked.size, readback: 'absent', readbackError: null, ...none };
  const failed = readbackError.safeParse(event.detail);
  if (failed.success) {
    return { acknowledged: acked.size, readback: 'failed', readbackError: failed.data.error, ...none };
  }
  const parsed = readbackDetail.safeParse(event.detail);
  if (!parsed.success) {
    const problem = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    return { acknowledged: acked.size, readback: 'malformed', readbackError: problem, ...none };
  }
  const { node, checked, missing, missingIds } = parsed.data;
  const ids = missingIds
    .split(',')
    .map((id) => id.trim())
    .filter(Boolean)
    .slice(0, MAX_EVIDENCE);
  const lostWrites = ids.map((ledgerId): LostWrite => {
    const s = acked.get(ledgerId);
    return {
      ledgerId,
      ackedAt: s ? r3(s.doneAt) : null,
      writtenTo: s?.writtenTo ?? null,
      request: s?.request ?? null,
    };
  });
  const lostByWrittenTo: Record<string, number> = {};
  for (const w of lostWrites) {
    const key = w.writtenTo ?? 'unknown';
    lostByWrittenTo[key] = (lostByWrittenTo[key] ?? 0) + 1;
  }
  return {
    acknowledged: acked.size,
    readback: 'ok',
    readbackError: null,
    node,
    checked,
    lost: missing,
    lostWrites,
    lostByWrittenTo,
  };
}

/** lost, when the run can tell (see the header's 'unknown' cases). */
function knownLost(a: AckedWritesLostAnalysis): number | undefined {
  return a.readback === 'ok' && a.acknowledged > 0 && (a.checked ?? 0) > 0
    ? (a.lost ?? undefined)
    : undefined;
}

function unknownReason(a: AckedWritesLostAnalysis): string {
  if (a.readback === 'absent')
    return `no ${READBACK_SOURCE} event: the ledger was not read back after the run`;
  if (a.readback === 'failed') return `the ledger read-back failed: ${a.readbackError}`;
  if (a.readback === 'malformed') return `the ${READBACK_SOURCE} event is unreadable (${a.readbackError})`;
  if (a.acknowledged === 0) return 'no ledger write was acknowledged: none could be lost';
  return `the read-back from ${a.node} checked none of the ${a.acknowledged} acknowledged writes`;
}

export function ackedWritesLostChecker(options?: AckedWritesLostOptions): Checker {
  const opts = parseOptions('acked-writes-lost', ackedWritesLostOptions, options);
  return {
    name: 'acked-writes-lost',
    check(run: RunRecord): CheckResult {
      const a = analyzeAckedWritesLost(run, opts);
      const base = {
        checker: 'acked-writes-lost',
        unit: 'count' as const,
        evidence: { ...a, maxLost: opts.maxLost },
      };
      const lost = knownLost(a);
      if (lost === undefined) return { ...base, valid: 'unknown', summary: unknownReason(a) };
      const partly = a.checked !== null && a.checked < a.acknowledged ? ` (checked ${a.checked})` : '';
      const where = Object.entries(a.lostByWrittenTo)
        .map(([n, c]) => `${c} written to ${n}`)
        .join(', ');
      return {
        ...base,
        valid: lost <= opts.maxLost,
        value: lost,
        summary:
          `${lost} of ${a.acknowledged} acknowledged writes${partly} missing on ${a.node} (limit ≤ ${opts.maxLost})` +
          (where ? `; of those listed, ${where}` : ''),
      };
    },
  };
}

export const ackedWritesLost = defineChecker({
  name: 'acked-writes-lost',
  options: ackedWritesLostOptions,
  evidence: z.object({
    acknowledged: zNum,
    readback: z.string(),
    readbackError: z.string().nullable().optional(),
    node: z.string().nullable(),
    checked: zNumOrNull,
    lost: zNumOrNull,
    maxLost: zNum.optional(),
    lostWrites: z.array(
      z.object({
        ledgerId: z.string(),
        ackedAt: zNumOrNull,
        writtenTo: z.string().nullable(),
        request: z.string().nullable().optional(),
      }),
    ),
    lostByWrittenTo: z.record(z.string(), zNum).optional(),
  }),
  value: { unit: 'count', better: 'lower' },
  analyze: analyzeAckedWritesLost,
  metrics: {
    'acked-writes-lost': {
      unit: 'count',
      scope: 'run',
      better: 'lower',
      description: 'acknowledged ledger writes missing when the ledger is read back after the run',
      resolve: knownLost,
    },
  },
  create: ackedWritesLostChecker,
});
