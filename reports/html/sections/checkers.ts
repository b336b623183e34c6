/**
 * Each checker's report section, found by the checker's name; checkers drawn together (failover,
 * detection and recovery) share one. The page shows them in this order, each once, when the run
 * has something for it. Keys are registered checker names (a typo does not compile).
 */
import type { CheckerName } from '../../../harness/checkers/registry.ts';
import type { CheckerSection } from '../components.ts';
import { cacheSection } from './cache.ts';
import { cacheStalenessSection } from './cache-staleness.ts';
import { cacheStampedeSection } from './cache-stampede.ts';
import { cdnFreshnessSection } from './cdn-freshness.ts';
import { failoverSection } from './failover.ts';
import { primaryLossSection } from './primary-loss.ts';
import { sessionsSection } from './sessions.ts';
import { sloSection } from './slo.ts';
import { staleReadsSection } from './stale-reads.ts';

export const checkerSections: { readonly [N in CheckerName]?: CheckerSection } = Object.freeze({
  'stale-reads': staleReadsSection,
  'failover-time': failoverSection,
  'time-to-detect': failoverSection,
  'time-to-recover': failoverSection,
  'write-unavailability': primaryLossSection,
  'acked-writes-lost': primaryLossSection,
  'split-brain': primaryLossSection,
  'sessions-lost': sessionsSection,
  'cache-effect': cacheSection,
  'cache-staleness': cacheStalenessSection,
  'cache-stampede': cacheStampedeSection,
  'cdn-freshness': cdnFreshnessSection,
  slo: sloSection,
});

/** The checker sections in page order, each once. */
export function uniqueCheckerSections(): CheckerSection[] {
  return [...new Set(Object.values(checkerSections))];
}
