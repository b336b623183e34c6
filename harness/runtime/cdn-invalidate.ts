/**
 * The CDN edge's invalidation API, used the way a deploy pipeline uses a CDN's: PURGE one URL, or
 * BAN every object whose URL matches a regex, with the topology's token (components/varnish.vcl).
 */
import { FaultlineError } from '../core/errors.ts';
import type { StartedTopology } from './topology.ts';

export type Invalidation = { method: 'PURGE'; path: string } | { method: 'BAN'; pattern: string };

const TIMEOUT_MS = 5000;

/** Sends it and returns the edge's status; an edge that does not answer 200 is an error. */
export async function invalidateCdn(
  topology: Pick<StartedTopology, 'endpoints' | 'composition'>,
  invalidation: Invalidation,
): Promise<number> {
  const path = invalidation.method === 'PURGE' ? invalidation.path : '/';
  const headers: Record<string, string> = { 'x-invalidate-token': topology.composition.cdn.invalidateToken };
  if (invalidation.method === 'BAN') headers['x-ban-url'] = invalidation.pattern;
  const what = `${invalidation.method} ${invalidation.method === 'PURGE' ? path : invalidation.pattern}`;
  let status: number;
  try {
    const response = await fetch(`${topology.endpoints.cdn}${path}`, {
      method: invalidation.method,
      headers,
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    await response.arrayBuffer();
    status = response.status;
  } catch (err) {
    throw new FaultlineError(
      'cdn.invalidate',
      `the CDN edge did not answer ${what}: ${(err as Error).message}`,
      'is the cdn service running?',
    );
  }
  if (status !== 200)
    throw new FaultlineError(
      'cdn.invalidate',
      `the CDN edge answered ${what} with ${status}`,
      'see the cdn service’s log',
    );
  return status;
}
