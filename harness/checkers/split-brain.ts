/**
 * split-brain: ledger writes acknowledged by two PostgreSQL nodes at once (two primaries).
 *
 * - An *acknowledged write* is a sample with a string detail.ledgerId, outcome ok (and sent), and
 *   `writtenTo` names the node that committed it.
 * - Each node's *span* is [its first ack's doneAt, its last ack's doneAt] (run-clock ms). Two nodes
 *   *overlap* when their spans intersect (bounds included): [max of the firsts, min of the lasts].
 * - A *split-brain write* is an acknowledged write of any node whose doneAt lies inside the overlap
 *   of its node's span with another node's span; each write counts once. A clean failover (the old
 *   primary's last ack before the new primary's first) gives 0.
 * - Spans are coarse on purpose: a node that acknowledges again after another took over (a
 *   fail-back to the old primary) overlaps the other's whole span, and is counted, which for a
 *   single kill of the primary means it came back as a primary.
 *
 * valid: 'unknown' when no acknowledged write names its node (writtenTo); false when any write is a
 * split-brain write; true otherwise. value: the count.
 */
import { z } from 'zod';
import { round3 as r3 } from '../core/round.ts';
import type { Sample } from '../samples/sample.ts';
import { type Checker, type CheckResult, defineChecker, type RunRecord } from './checker.ts';
import { bounded, fmtMs, isDropped, ledgerIdOf, parseOptions, zNum } from './support.ts';

export const splitBrainOptions = z.object({}).strict();
export type SplitBrainOptions = z.input<typeof splitBrainOptions>;

export interface NodeSpan {
  node: string;
  /** doneAt of its first and last acknowledged write, and how many it acknowledged. */
  first: number;
  last: number;
  writes: number;
}

export interface SpanOverlap {
  nodes: [string, string];
  from: number;
  to: number;
  /** Acknowledged writes of either node inside it. */
  writes: number;
}

export interface SplitBrainWrite {
  ledgerId: string;
  writtenTo: string;
  doneAt: number;
}

export interface SplitBrainAnalysis {
  /** Acknowledged ledger writes, and those among them without writtenTo (not attributed). */
  acknowledged: number;
  unattributed: number;
  nodes: NodeSpan[];
  overlaps: SpanOverlap[];
  count: number;
  /** The first split-brain writes by doneAt (at most 20). */
  writes: SplitBrainWrite[];
  omittedWrites: number;
}

type Ack = Sample & { writtenTo: string };

export function analyzeSplitBrain(run: RunRecord, options?: SplitBrainOptions): SplitBrainAnalysis {
  parseOptions('split-brain', splitBrainOptions, options);
  const acks = run.samples.filter((s) => ledgerIdOf(s) !== undefined && s.outcome === 'ok' && !isDropped(s));
  const attributed = acks
    .filter((s): s is Ack => typeof s.writtenTo === 'string' && s.writtenTo !== '')
    .sort((a, b) => a.doneAt - b.doneAt);
  const spans = new Map<string, NodeSpan>();
  for (const s of attributed) {
    const span = spans.get(s.writtenTo);
    if (span) {
      span.last = s.doneAt;
      span.writes++;
    } else spans.set(s.writtenTo, { node: s.writtenTo, first: s.doneAt, last: s.doneAt, writes: 1 });
  }
  const nodes = [...spans.values()];
  const overlaps: SpanOverlap[] = [];
  const offending = new Set<Ack>();
  for (const [i, a] of nodes.entries()) {
    for (const b of nodes.slice(i + 1)) {
      const from = Math.max(a.first, b.first);
      const to = Math.min(a.last, b.last);
      if (from > to) continue;
      const inside = attributed.filter(
        (s) => (s.writtenTo === a.node || s.writtenTo === b.node) && s.doneAt >= from && s.doneAt <= to,
      );
      for (const s of inside) offending.add(s);
      overlaps.push({ nodes: [a.node, b.node], from: r3(from), to: r3(to), writes: inside.length });
    }
  }
  const shown = bounded(
    [...offending]
      .sort((a, b) => a.doneAt - b.doneAt)
      .map((s) => ({ ledgerId: ledgerIdOf(s) as string, writtenTo: s.writtenTo, doneAt: r3(s.doneAt) })),
  );
  return {
    acknowledged: acks.length,
    unattributed: acks.length - attributed.length,
    nodes: nodes.map((n) => ({ ...n, first: r3(n.first), last: r3(n.last) })),
    overlaps,
    count: offending.size,
    writes: shown.items,
    omittedWrites: shown.omitted,
  };
}

const judgeable = (a: SplitBrainAnalysis) => a.nodes.length > 0;

export function splitBrainChecker(options?: SplitBrainOptions): Checker {
  parseOptions('split-brain', splitBrainOptions, options);
  return {
    name: 'split-brain',
    check(run: RunRecord): CheckResult {
      const a = analyzeSplitBrain(run);
      const base = { checker: 'split-brain', unit: 'count' as const, evidence: { ...a } };
      if (!judgeable(a)) {
        return {
          ...base,
          valid: 'unknown',
          summary:
            a.acknowledged === 0
              ? 'no ledger write was acknowledged'
              : `none of the ${a.acknowledged} acknowledged writes says which node committed it (writtenTo)`,
        };
      }
      const spans = a.nodes.map((n) => `${n.node} ${n.writes}`).join(', ');
      if (a.count === 0) {
        return {
          ...base,
          valid: true,
          value: 0,
          summary: `no two nodes acknowledged writes at the same time (acknowledged: ${spans})`,
        };
      }
      const o = a.overlaps.find((x) => x.writes > 0) ?? a.overlaps[0];
      return {
        ...base,
        valid: false,
        value: a.count,
        summary:
          `${a.count} writes acknowledged while two nodes accepted writes` +
          (o ? ` (${o.nodes.join(' and ')}, for ${fmtMs(o.to - o.from)} from t = ${fmtMs(o.from)})` : ''),
      };
    },
  };
}

export const splitBrain = defineChecker({
  name: 'split-brain',
  options: splitBrainOptions,
  evidence: z.object({
    acknowledged: zNum,
    unattributed: zNum,
    count: zNum,
    nodes: z.array(z.object({ node: z.string(), first: zNum, last: zNum, writes: zNum })),
    overlaps: z.array(z.object({ nodes: z.array(z.string()), from: zNum, to: zNum, writes: zNum })),
    writes: z.array(z.object({ ledgerId: z.string(), writtenTo: z.string(), doneAt: zNum })).optional(),
    omittedWrites: zNum.optional(),
  }),
  value: { unit: 'count', better: 'lower' },
  analyze: analyzeSplitBrain,
  metrics: {
    'split-brain-writes': {
      unit: 'count',
      scope: 'run',
      better: 'lower',
      description:
        'acknowledged writes committed while another node also acknowledged writes (see split-brain.ts)',
      resolve: (a) => (judgeable(a) ? a.count : undefined),
    },
  },
  create: splitBrainChecker,
});
