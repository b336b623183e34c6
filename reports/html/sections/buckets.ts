/**
 * What a chart per time bucket must say about its buckets: the ones at the load's ends that hold
 * only part of a bucket's time, and where the bucket grid lies relative to the fault's actuation.
 */
import { holdsEnoughLoad } from '../../../harness/metrics/timeline.ts';
import { ms, relSeconds } from '../format.ts';
import type { ReportModel } from '../model.ts';

type Point = ReportModel['timeline'][number];

/**
 * The load time a bucket holds: its part inside the load's span, or undefined for the last bucket
 * of a run whose load went on past its phases (nothing says where in that bucket it stopped).
 */
function loadTimeOf(m: ReportModel, p: Point): number | undefined {
  return m.overran && p.t + m.metrics.bucketWidthMs >= m.endMs ? undefined : p.durationMs;
}

/** A per-second rate of a bucket (already over the load time it holds), or null when that is too little or unknown. */
export function bucketRate(m: ReportModel, p: Point, perSecond: number): number | null {
  const time = loadTimeOf(m, p);
  return time !== undefined && holdsEnoughLoad({ durationMs: time }, m.metrics.bucketWidthMs)
    ? perSecond
    : null;
}

/** One sentence per bucket at the load's start or end that holds only part of a bucket of load. */
export function partialBucketNotes(m: ReportModel): string[] {
  const inside = m.timeline.filter((p) => p.durationMs > 0);
  const ends = [
    { which: 'first', p: inside[0] },
    { which: 'last', p: inside.length > 1 ? inside.at(-1) : undefined },
  ];
  return ends.flatMap(({ which, p }) => {
    if (!p) return [];
    const time = loadTimeOf(m, p);
    if (time === undefined) {
      return [
        `The load went on past the last phase (a result from before load started with the phases), so how much of the ${which} bucket it filled is unknown: that bucket is left out of the throughput chart.`,
      ];
    }
    if (time >= m.metrics.bucketWidthMs - 0.5) return [];
    return [
      bucketRate(m, p, 0) === null
        ? `The ${which} bucket holds only ${ms(time)} of load: it is left out of the throughput chart, too short for a rate.`
        : `The ${which} bucket holds only ${ms(time)} of load: its throughput is per second of those ${ms(time)}.`,
    ];
  });
}

/**
 * Whether a bucket boundary falls on the first fault actuation. A run puts one there; results
 * written before it did have buckets on the run clock, and then the bucket holding the actuation
 * starts before it: failures in that bucket may predate the fault.
 */
export function alignmentNote(m: ReportModel): string | undefined {
  const actuations = m.faults.flatMap((f) => (f.life.actuated === undefined ? [] : [f.life.actuated]));
  if (actuations.length === 0) return undefined;
  const at = Math.min(...actuations);
  const width = m.metrics.bucketWidthMs;
  const offset = (((at - m.metrics.originMs) % width) + width) % width;
  if (offset < 0.5 || width - offset < 0.5) {
    return `Bucket boundaries fall on the fault's actuation (${relSeconds(m.rel(at))}), so no bucket mixes requests from before and after it.`;
  }
  return `These buckets are on the run clock, not on the fault's actuation (the result predates aligned buckets): the bucket holding the actuation at ${relSeconds(m.rel(at))} starts ${ms(offset)} before it, so failures in it may predate the fault.`;
}
