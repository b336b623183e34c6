/**
 * Every workload by name; the load spec's schema, the run and `faultline list` are made from this
 * list: a new workload is its file plus its line here.
 */

import type { z } from 'zod';
import { browse } from './browse.ts';
import { cartJourney } from './cart-journey.ts';
import { http } from './http.ts';
import { httpGet } from './http-get.ts';
import { ledger } from './ledger.ts';
import { readAfterWrite } from './read-after-write.ts';
import { staticAssets } from './static-assets.ts';
import type { WorkloadKind } from './workload.ts';

const workloads = [browse, readAfterWrite, staticAssets, cartJourney, ledger, httpGet, http] as const;
type Registered = (typeof workloads)[number];

/** A workload as an experiment writes it: a registered kind's name with its options (typed for editors). */
export type WorkloadInput = {
  [K in Registered as K['name']]: { workload: K['name'] } & z.input<K['options']>;
}[Registered['name']];

export const workloadKinds: ReadonlyMap<string, WorkloadKind> = new Map(workloads.map((k) => [k.name, k]));
