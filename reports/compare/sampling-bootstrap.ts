/**
 * The check behind the sampling rule (regression.ts), run by hand:
 * `npx tsx reports/compare/sampling-bootstrap.ts` (DRAWS=…, QUANTILE=0.5 for p50). Seeded: the same
 * numbers every time. "old" is the run-to-run rule alone, as before; "now" adds the intervals.
 *
 * Percentiles, from real latency: every request of the committed fixtures' non-warm-up phases
 * without injected latency is pooled; runs are drawn from the pool with replacement (a candidate's
 * latencies also × a factor) and judged as compare does: each run's p99 from its own histogram, each
 * side's interval from its runs merged.
 *
 * Error rates: k errors of n requests is binomial whatever the system, so runs are binomial draws
 * at a true rate (the candidate's × a factor); the fixtures have too few errors to resample.
 */
import {
  createHistogram,
  type LatencyHistogram,
  mergeHistograms,
  recordMs,
} from '../../harness/metrics/histogram.ts';
import { FIXTURES } from './fixtures.ts';
import { loadResults } from './inputs.ts';
import { percentileInterval } from './percentile-interval.ts';
import { prepareRun } from './prepare.ts';
import { rateInterval } from './rate-interval.ts';
import { judgeMetric, judgeSampled, noiseModel, spreadOf } from './regression.ts';
import type { MetricUnit, NoiseModel, SampleInterval, Spread } from './types.ts';

const SETS = [
  'baseline',
  'rerun',
  'lb-backend-death',
  '../cache-node-loss.result.json',
  '../cdn-origin-outage.result.json',
  '../lb-backend-death.checks-fast.result.json',
  '../replica-lag.mitigation-none.result.json',
  '../session-loss.sessions-memory.result.json',
];
/** Slowed on purpose during the fault and after: only their baseline phase is pooled. */
const SLOWED = ['replica-120ms', 'replica-300ms'];
const DRAWS = Number(process.env.DRAWS ?? 2000);
const QUANTILE = Number(process.env.QUANTILE ?? 0.99);
const SHAPES: [runs: number, requests: number][] = [
  [1, 180],
  [3, 120],
  [3, 300],
  [3, 750],
  [1, 1000],
  [3, 1000],
];

/** Every latency of a histogram, as its bucket values (ms). */
function values(h: LatencyHistogram): number[] {
  const n = h.totalCount;
  return Array.from({ length: n }, (_, i) => h.getValueAtPercentile((100 * (i + 0.5)) / n) / 1000);
}

async function pool(): Promise<number[]> {
  const out: number[] = [];
  for (const set of [...SETS, ...SLOWED]) {
    for (const { result, path } of await loadResults(`${FIXTURES}/${set}`)) {
      for (const p of prepareRun(result, path).snapshot.phases) {
        if (p.phase !== 'warmup' && (!SLOWED.includes(set) || p.phase === 'baseline'))
          out.push(...values(p.latency));
      }
    }
  }
  return out;
}

// mulberry32: small and well mixed (a plain LCG's consecutive draws are correlated).
let seed = 20261201;
function random(): number {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

function drawRun(latencies: readonly number[], requests: number, factor: number): LatencyHistogram {
  const h = createHistogram();
  for (let i = 0; i < requests; i++)
    recordMs(h, (latencies[Math.floor(random() * latencies.length)] as number) * factor);
  return h;
}

const format = (v: number) => v.toFixed(4);
const pct = (k: number) => `${((100 * k) / DRAWS).toFixed(1)} %`;
const FACTORS = [1, 1.3, 2];

/** How often each rule calls it REGRESSED, per factor, over DRAWS draws of `draw`. */
function rates(
  draw: (factor: number) => { b: Spread; c: Spread; sampled: (model: NoiseModel) => boolean },
  runs: number,
  unit: MetricUnit,
): string {
  const model = noiseModel(runs, runs);
  return FACTORS.map((factor) => {
    let old = 0;
    let now = 0;
    for (let d = 0; d < DRAWS; d++) {
      const { b, c, sampled } = draw(factor);
      if (judgeMetric(b, c, 'higher-is-worse', unit, model, format).status === 'regressed') old++;
      if (sampled(model)) now++;
    }
    return `× ${factor}: old ${pct(old)}, now ${pct(now)}`;
  }).join(' | ');
}

const latencies = await pool();
console.log(`p${QUANTILE * 100}: ${latencies.length} requests pooled; ${DRAWS} draws per row`);
for (const [runs, requests] of SHAPES) {
  const row = rates(
    (factor) => {
      const base = Array.from({ length: runs }, () => drawRun(latencies, requests, 1));
      const cand = Array.from({ length: runs }, () => drawRun(latencies, requests, factor));
      const spread = (hs: LatencyHistogram[]) =>
        spreadOf(hs.map((h) => h.getValueAtPercentile(QUANTILE * 100) / 1000)) as Spread;
      const [b, c] = [spread(base), spread(cand)];
      const baseline = percentileInterval(mergeHistograms(base), QUANTILE);
      const candidate = percentileInterval(mergeHistograms(cand), QUANTILE);
      const sampled = (model: NoiseModel) =>
        !!baseline &&
        !!candidate &&
        judgeSampled(b, c, { baseline, candidate }, 'higher-is-worse', 'ms', model, format).status ===
          'regressed';
      return { b, c, sampled };
    },
    runs,
    'ms',
  );
  console.log(`${runs} vs ${runs} runs × ${requests} requests | ${row}`);
}

function errors(requests: number, rate: number): number {
  let k = 0;
  for (let i = 0; i < requests; i++) if (random() < rate) k++;
  return k;
}

console.log(`error rate: binomial draws; ${DRAWS} draws per row`);
for (const [runs, requests] of [
  [1, 300],
  [3, 120],
  [3, 300],
  [3, 750],
] as const) {
  for (const rate of [0.005, 0.01, 0.05]) {
    const row = rates(
      (factor) => {
        const bk = Array.from({ length: runs }, () => errors(requests, rate));
        const ck = Array.from({ length: runs }, () => errors(requests, rate * factor));
        const [b, c] = [bk, ck].map((ks) => spreadOf(ks.map((k) => k / requests)) as Spread) as [
          Spread,
          Spread,
        ];
        const sum = (ks: number[]) => ks.reduce((a, k) => a + k, 0);
        const intervals = {
          baseline: rateInterval(sum(bk), runs * requests) as SampleInterval,
          candidate: rateInterval(sum(ck), runs * requests) as SampleInterval,
        };
        const sampled = (model: NoiseModel) =>
          judgeSampled(b, c, intervals, 'higher-is-worse', 'ratio', model, format).status === 'regressed';
        return { b, c, sampled };
      },
      runs,
      'ratio',
    );
    console.log(`${runs} vs ${runs} runs × ${requests} requests at ${rate * 100} % | ${row}`);
  }
}
