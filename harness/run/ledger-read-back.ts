/**
 * After the run, the ledger is read back from the node that is the primary now: every write the
 * load saw acknowledged (a sample with detail.ledgerId, outcome ok) must be there. What is missing
 * was acknowledged and then lost (a failover onto a replica that had not received it). One event
 * records the count and the first missing ids; acked-writes-lost judges from it. Apps keep the
 * ledger in table faultline_ledger (docs/targets.md).
 */
import { sqlSession } from '../runtime/answers.ts';
import { primaryNow, type StartedTopology } from '../runtime/topology.ts';
import type { EventLog } from '../samples/event-log.ts';
import type { Sample } from '../samples/sample.ts';

/** How many missing ids the event lists (the count is always whole). */
const LISTED = 20;

export function acknowledgedLedgerIds(samples: readonly Sample[]): string[] {
  const ids = new Set<string>();
  for (const s of samples) {
    const id = s.detail?.ledgerId;
    if (s.outcome === 'ok' && typeof id === 'string') ids.add(id);
  }
  return [...ids];
}

/** Records the read-back (or why it could not be made); does nothing when the load wrote no ledger. */
export async function readBackLedger(
  topology: StartedTopology,
  samples: readonly Sample[],
  events: EventLog,
): Promise<void> {
  const acknowledged = acknowledgedLedgerIds(samples);
  if (!samples.some((s) => typeof s.detail?.ledgerId === 'string')) return;
  const node = primaryNow(topology);
  const handle = topology.service(node);
  try {
    const present = await sqlSession(handle.host, handle.ports.postgres as number, 10_000, async (c) => {
      const { rows } = await c.query<{ id: string }>(
        'SELECT id FROM faultline_ledger WHERE id = ANY($1::text[])',
        [acknowledged],
      );
      return new Set(rows.map((r) => r.id));
    });
    const missing = acknowledged.filter((id) => !present.has(id));
    events.record({
      kind: 'observation',
      source: 'ledger.readback',
      detail: {
        node,
        checked: acknowledged.length,
        missing: missing.length,
        missingIds: missing.slice(0, LISTED).join(','),
      },
    });
  } catch (err) {
    events.record({
      kind: 'observation',
      source: 'ledger.readback',
      detail: { node, error: (err as Error).message },
    });
  }
}
