/**
 * Every workload by name; the load spec's schema, the run and `faultline list` are made from this
 * list: a new workload is its file plus its line here.
 */
import { browse } from './browse.ts';
import { cartJourney } from './cart-journey.ts';
import { http } from './http.ts';
import { httpGet } from './http-get.ts';
import { readAfterWrite } from './read-after-write.ts';
import { staticAssets } from './static-assets.ts';
import type { WorkloadKind } from './workload.ts';

export const workloadKinds: ReadonlyMap<string, WorkloadKind> = new Map(
  [browse, readAfterWrite, staticAssets, cartJourney, httpGet, http].map((k) => [k.name, k]),
);
