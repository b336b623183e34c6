/**
 * The CDN half of cache-effect: static-asset requests (a boolean detail.cacheable, from the
 * static-assets workload) per phase (by intendedAt) and per kind — cacheable (the plain asset path)
 * or uncached (a cache-busting query string).
 * - requests: every such sample (dropped included); ok: those answered ok;
 *   availability = ok / requests (null without requests).
 * - hits: ok answers with sample.cache 'hit' (Varnish's x-cache); servedFromCache = hits / ok.
 * - per phase, servedFromCache of both kinds together.
 */
import type { Sample } from '../samples/sample.ts';
import type { RunRecord } from './checker.ts';
import { entry, isFailure, phaseOf, ratio } from './support.ts';

export interface CdnKind {
  requests: number;
  ok: number;
  availability: number | null;
  hits: number;
  servedFromCache: number | null;
}

export interface CdnPhase {
  cacheable: CdnKind;
  uncached: CdnKind;
  servedFromCache: number | null;
}

export interface CdnAnalysis {
  /** Static-asset samples in the run (inside a phase or not). */
  samples: number;
  byPhase: Record<string, CdnPhase>;
}

export const isStatic = (s: Sample): boolean => typeof s.detail?.cacheable === 'boolean';

function kind(): CdnKind {
  return { requests: 0, ok: 0, availability: null, hits: 0, servedFromCache: null };
}

export function analyzeCdn(run: RunRecord): CdnAnalysis {
  const byPhase: Record<string, CdnPhase> = {};
  let samples = 0;
  for (const s of run.samples) {
    if (!isStatic(s)) continue;
    samples++;
    const phase = phaseOf(run, s);
    if (phase === undefined) continue;
    const p = entry(byPhase, phase, () => ({ cacheable: kind(), uncached: kind(), servedFromCache: null }));
    const k = s.detail?.cacheable ? p.cacheable : p.uncached;
    k.requests++;
    if (isFailure(s)) continue;
    k.ok++;
    if (s.cache === 'hit') k.hits++;
  }
  for (const p of Object.values(byPhase)) {
    for (const k of [p.cacheable, p.uncached]) {
      k.availability = ratio(k.ok, k.requests);
      k.servedFromCache = ratio(k.hits, k.ok);
    }
    p.servedFromCache = ratio(p.cacheable.hits + p.uncached.hits, p.cacheable.ok + p.uncached.ok);
  }
  return { samples, byPhase };
}
