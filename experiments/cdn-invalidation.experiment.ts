import { defineExperiment } from '../harness/index.ts';

/**
 * A deploy changes app.css at the origin while users load the static files through the CDN edge.
 * The shop (and pyshop) serve them with max-age=5, so without invalidation the edge keeps serving
 * the old file for what is left of its 5 s TTL (plus one background refresh, since the edge serves
 * a stale copy while it refetches); a PURGE of its URL, or a BAN of every static file, makes the
 * next request fetch the new one. The ban variant shows what the origin pays: every static file
 * fetched again at once.
 */
export default defineExperiment({
  name: 'cdn-invalidation',
  description:
    'Change a static file at the origin under load; measure how long the CDN edge serves the old one, without invalidation, with PURGE and with a BAN of everything.',
  topology: { web: 2, cache: 0, replicas: 1 },
  load: {
    executor: { executor: 'constant-arrival-rate', rate: 100 },
    workload: { workload: 'static-assets', uncachedShare: 0 },
  },
  // The edge first caches each file as the load starts, then again every 5 s: the change at 7.5 s
  // lands halfway through a TTL (at 5 s it would coincide with an expiry and show almost nothing).
  phases: { warmup: '2s', baseline: '5.5s', fault: '10s', recovery: '2s' },
  faults: [{ kind: 'asset-change', asset: 'app.css' }],
  // Old content for at most the TTL left (5 s) and one refresh: never longer.
  hypotheses: ['cdn-time-to-fresh <= 6s', 'error-rate < 1% during fault'],
  checkers: ['cdn-freshness'],
  variants: [
    { name: 'invalidate=none' },
    {
      name: 'invalidate=purge',
      faults: [{ kind: 'asset-change', asset: 'app.css', invalidate: 'purge' }],
      hypotheses: ['cdn-time-to-fresh < 500ms', 'error-rate < 1% during fault'],
    },
    {
      name: 'invalidate=ban',
      faults: [{ kind: 'asset-change', asset: 'app.css', invalidate: 'ban' }],
      hypotheses: ['cdn-time-to-fresh < 500ms', 'error-rate < 1% during fault'],
    },
  ],
});
