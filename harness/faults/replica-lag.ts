/**
 * Replication lag: latency on each replica's WAL stream. The replica connects to the primary through
 * "<replica>->pg-primary", so the WAL is that link's *downstream* (measured: a 1 s downstream toxic
 * delays a committed row on the replica by ~1 s; upstream, which only carries the replica's feedback,
 * changes nothing). Proven with a canary row written on the primary that the replica does not show
 * shortly after; healed when a fresh canary is visible on every replica.
 */
import { randomInt } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { durationSchema } from '../core/duration.ts';
import { usageError } from '../core/errors.ts';
import { defineFault, type FaultContext } from './fault.ts';
import { pgSession } from './probes.ts';
import { HEAL_TIMEOUT_MS } from './service-ready.ts';
import { addToxics, hasLink, removeToxics, type ToxicSpec } from './toxics.ts';
import { allSettledOrThrow, shared, until } from './wait.ts';

const KIND = 'replica-lag';
const PRIMARY = 'pg-primary';
const CANARY_TABLE = 'CREATE TABLE IF NOT EXISTS faultline_canary (id int PRIMARY KEY, at timestamptz)';

const allReplicas = (ctx: FaultContext) =>
  ctx.topology.serviceNames.filter((s) => /^pg-replica-\d+$/.test(s));

/** Writes the canary on the primary, flushed at once (not after wal_writer_delay); returns its value. */
function writeCanary(ctx: FaultContext, id: number): Promise<string> {
  return pgSession(ctx.topology.service(PRIMARY), async (c) => {
    await c.query(CANARY_TABLE);
    await c.query('SET synchronous_commit = local');
    const { rows } = await c.query<{ at: string }>(
      `INSERT INTO faultline_canary VALUES ($1, clock_timestamp())
         ON CONFLICT (id) DO UPDATE SET at = excluded.at RETURNING at::text`,
      [id],
    );
    return rows[0]?.at as string;
  });
}

async function canaryOn(ctx: FaultContext, replica: string, id: number): Promise<string | undefined> {
  return pgSession(ctx.topology.service(replica), async (c) => {
    const { rows } = await c.query<{ at: string }>('SELECT at::text FROM faultline_canary WHERE id = $1', [
      id,
    ]);
    return rows[0]?.at;
  }).catch(() => undefined); // the table itself may not have arrived yet
}

/** Waits until every replica shows a canary written now: they have replayed all WAL up to now. */
async function waitCaughtUp(ctx: FaultContext, replicas: string[], id: number, timeoutMs: number) {
  const at = await writeCanary(ctx, id);
  await allSettledOrThrow(
    replicas.map((replica) =>
      until(async () => (await canaryOn(ctx, replica, id)) === at, {
        timeoutMs,
        intervalMs: 20,
        what: `${replica} to replay the primary's WAL (canary ${at})`,
        code: 'fault.heal',
      }),
    ),
  );
}

export const replicaLag = defineFault({
  kind: KIND,
  description: 'delays the WAL stream to replicas by latency ± jitter; verified by a canary row they lack',
  params: z
    .object({
      replicas: z
        .array(z.string().regex(/^pg-replica-\d+$/, { message: 'must name a replica, like "pg-replica-1"' }))
        .min(1)
        .optional(),
      latency: durationSchema.default(1000).describe('delay added to the data (ms)'),
      jitter: durationSchema.default(0).describe('up to this much more or less delay, at random (ms)'),
    })
    .strict(),
  // Without a list it lags every replica the topology has (always at least one); each has its link.
  targets: ({ replicas }) =>
    (replicas ?? []).map((replica, i) => ({ param: `replicas.${i}`, service: replica })),
  create: ({ replicas: chosen, latency, jitter }) => {
    const canaryId = randomInt(1, 2 ** 31 - 1);
    const toxic: ToxicSpec = { type: 'latency', stream: 'downstream', attributes: { latency, jitter } };
    // How long after a write verify looks: well inside the lag, far above the ~10 ms it takes unfaulted.
    const lookAfterMs = Math.min(250, Math.max(20, (latency - jitter) / 2));
    const targets = (ctx: FaultContext) => chosen ?? allReplicas(ctx);
    const link = (replica: string) => `${replica}->${PRIMARY}`;
    return {
      kind: KIND,
      id: `${KIND}:${chosen?.join('+') ?? 'all'}`,
      async inject(ctx) {
        const replicas = targets(ctx);
        const unknown = replicas.filter(
          (r) => !allReplicas(ctx).includes(r) || !hasLink(ctx.topology, link(r)),
        );
        if (unknown.length || !replicas.length) {
          throw usageError(
            'fault.replica',
            `replica-lag: no replica named ${unknown.join(', ') || '(none in this topology)'}`,
            `replicas: ${allReplicas(ctx).join(', ')}`,
          );
        }
        // The canary table must be on the replicas before their WAL slows down.
        await waitCaughtUp(ctx, replicas, canaryId, 10_000);
        for (const replica of replicas) await addToxics(ctx.topology.proxy(link(replica)), KIND, toxic);
      },
      /** A row committed on the primary is still missing on every replica `lookAfterMs` later. */
      async verify(ctx) {
        const replicas = targets(ctx);
        const at = await writeCanary(ctx, canaryId);
        await sleep(lookAfterMs);
        const seen = await Promise.all(replicas.map((r) => canaryOn(ctx, r, canaryId)));
        const lagging = replicas.filter((_, i) => seen[i] !== at);
        for (const replica of lagging) {
          ctx.events.record({
            kind: 'observation',
            fault: `${KIND}:${chosen?.join('+') ?? 'all'}`,
            source: 'pg.canary',
            detail: { replica, visible: false, afterMs: lookAfterMs },
          });
        }
        return lagging.length === replicas.length;
      },
      heal: shared(async (ctx: FaultContext) => {
        const replicas = targets(ctx).filter((r) => hasLink(ctx.topology, link(r)));
        await allSettledOrThrow(replicas.map((r) => removeToxics(ctx.topology.proxy(link(r)), KIND)));
        await waitCaughtUp(ctx, replicas, canaryId, HEAL_TIMEOUT_MS);
      }),
    };
  },
});
