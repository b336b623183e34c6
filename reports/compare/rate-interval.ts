/**
 * The sampling noise of an error rate: k errors of n requests is a binomial proportion, and its 95 %
 * Wilson score interval says where the true rate lies. Unlike the plain p ± 1.96·√(p(1−p)/n) it
 * stays inside [0, 1] and is not empty at k = 0: 0 errors of 900 requests still allow up to 0.43 %.
 */
import type { SampleInterval } from './types.ts';

const Z = 1.959964; // the standard normal's 97.5 % point

export function rateInterval(errors: number, requests: number): SampleInterval | null {
  if (!(requests > 0)) return null;
  const p = errors / requests;
  const z2 = Z * Z;
  const centre = (p + z2 / (2 * requests)) / (1 + z2 / requests);
  const half =
    (Z / (1 + z2 / requests)) * Math.sqrt((p * (1 - p)) / requests + z2 / (4 * requests * requests));
  return { lo: Math.max(0, centre - half), hi: Math.min(1, centre + half) };
}
