/**
 * Applies the web app's schema to the primary before the first instance starts (replicas get it
 * through replication). A schema that fails names its file and PostgreSQL's error.
 */
import type { WebApp } from '../components/web-app.ts';
import { usageError } from '../core/errors.ts';
import { withClient } from './local/postgres.ts';
import type { StartContext, Starter } from './starters.ts';

/** `port` is where the harness reaches the primary (loopback, or the container's published port). */
export async function applyAppSchema(port: number, schema: WebApp['schema']): Promise<void> {
  if (!schema) return;
  await withClient(port, async (client) => {
    await client.query(schema.sql).catch((err: Error & { position?: string }) => {
      if (!('severity' in err)) throw err; // not an SQL error: the harness's own failure
      const at = err.position ? ` (at character ${err.position})` : '';
      throw usageError('app.schema', `${schema.source}: ${err.message}${at}`, 'fix the SQL and run again');
    });
  });
}

/** The app-schema step on any runtime: the schema onto the started primary. */
export const schemaStarter: Starter<StartContext> = (_name, ctx) => ({
  start: () => applyAppSchema(ctx.hostPort(ctx.composition.primary), ctx.composition.app.schema),
});
