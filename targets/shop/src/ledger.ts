/**
 * POST /ledger/:id, the ledger contract (docs/targets.md): the client makes the id, the shop stores it
 * once on the primary with the name of the server that committed it, and says which in x-written-to.
 * After a primary loss the harness reads faultline_ledger back: an acknowledged id missing is a lost
 * write.
 */
import type { FastifyInstance } from 'fastify';
import type { Database } from './db.ts';

export interface LedgerDeps {
  db: Database;
}

const LEDGER_ID = /^[A-Za-z0-9_-]{1,64}$/;

export function isLedgerId(raw: string): boolean {
  return LEDGER_ID.test(raw);
}

export async function ledgerRoutes(app: FastifyInstance, { db }: LedgerDeps): Promise<void> {
  app.post<{ Params: { id: string } }>('/ledger/:id', async (request, reply) => {
    const { id } = request.params;
    if (!isLedgerId(id)) return reply.code(400).send({ error: 'id must be 1 to 64 of A-Z a-z 0-9 _ -' });
    const entry = await db.ledgerWrite(id);
    reply.header('x-written-to', entry.node);
    // A retry of a write that was acknowledged (or may have been) is answered, not refused: the
    // client learns where its id lives either way.
    return reply.code(entry.created ? 201 : 200).send({ id, node: entry.node });
  });
}
