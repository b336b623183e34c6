import { type Random, randomInt } from '../../core/random.ts';
import { goDurationMs, MICROSECOND } from './go-duration.ts';
import { INTERRUPTED, isEnd } from './stub.ts';
import { defineToxic } from './toxic.ts';

type Slicer = { average_size: bigint; size_variation: bigint; delay: bigint };

/**
 * Offsets [start0, end0, start1, end1, ...] by halving, moved ± size_variation, until pieces are at
 * most average_size + size_variation bytes, as Toxiproxy does. With size_variation equal to
 * average_size a piece can be empty; it is sent (as nothing) like any other.
 */
function cuts(limit: number, variation: number, random: Random, start: number, end: number): number[] {
  if (end - start <= limit) return [start, end];
  let mid = start + Math.floor((end - start) / 2);
  if (variation > 0) mid += randomInt(random, variation * 2) - variation;
  return [...cuts(limit, variation, random, start, mid), ...cuts(limit, variation, random, mid, end)];
}

export const slicer = defineToxic<Slicer>({
  type: 'slicer',
  goName: 'SlicerToxic',
  fields: { average_size: 'int', size_variation: 'int', delay: 'int' },
  defaults: () => ({ average_size: 0n, size_variation: 0n, delay: 0n }),
  // On these Toxiproxy recurses forever or slices out of range (a panic); everything else it handles.
  reject: ({ average_size: average, size_variation: variation }) => {
    if (average <= 0n) return 'average_size must be positive';
    if (variation > average) return 'size_variation must not exceed average_size';
    if (average + variation <= 0n) return 'average_size + size_variation must be positive';
    return undefined;
  },
  async pipe(stub, attributes, random) {
    for (;;) {
      const event = await stub.take();
      if (event === INTERRUPTED) return;
      if (isEnd(event)) return stub.close(event.end);
      // The sum is exact (any int64 may come in). A piece splits only when longer than the sum, so a
      // positive variation is then shorter than the piece, and exact as a number.
      const limit = Number(attributes.average_size + attributes.size_variation);
      const variation = Number(attributes.size_variation);
      const offsets = cuts(limit, variation, random, 0, event.data.length);
      for (let i = 1; i < offsets.length; i += 2) {
        const [from, to] = [offsets[i - 1] as number, offsets[i] as number];
        stub.emit({ data: event.data.subarray(from, to), timestamp: event.timestamp });
        if (!(await stub.sleep(goDurationMs(attributes.delay, MICROSECOND)))) {
          if (to < event.data.length)
            stub.emit({ data: event.data.subarray(to), timestamp: event.timestamp });
          return;
        }
      }
    }
  },
});
