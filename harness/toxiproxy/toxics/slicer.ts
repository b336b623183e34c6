import { type Random, randomInt } from '../../core/random.ts';
import { INTERRUPTED, isEnd } from './stub.ts';
import { defineToxic } from './toxic.ts';

type Slicer = { average_size: number; size_variation: number; delay: number };

/** Offsets [start0, end0, start1, end1, ...] by halving until pieces are near average_size. */
function cuts(s: Slicer, random: Random, start: number, end: number): number[] {
  if (end - start - s.average_size <= s.size_variation) return [start, end];
  let mid = start + Math.floor((end - start) / 2);
  if (s.size_variation > 0) mid += randomInt(random, s.size_variation * 2) - s.size_variation;
  return [...cuts(s, random, start, mid), ...cuts(s, random, mid, end)];
}

export const slicer = defineToxic<Slicer>({
  type: 'slicer',
  goName: 'SlicerToxic',
  fields: { average_size: 'int', size_variation: 'int', delay: 'int' },
  defaults: () => ({ average_size: 0, size_variation: 0, delay: 0 }),
  // Toxiproxy recurses forever or slices out of range on these; refuse them up front.
  reject: (s) => {
    if (s.average_size <= 0) return 'average_size must be > 0';
    if (s.size_variation < 0) return 'size_variation must be >= 0';
    if (s.size_variation >= s.average_size) return 'size_variation must be smaller than average_size';
    return undefined;
  },
  async pipe(stub, attributes, random) {
    for (;;) {
      const event = await stub.take();
      if (event === INTERRUPTED) return;
      if (isEnd(event)) return stub.close(event.end);
      const offsets = cuts(attributes, random, 0, event.data.length);
      for (let i = 1; i < offsets.length; i += 2) {
        const [from, to] = [offsets[i - 1] as number, offsets[i] as number];
        stub.emit({ data: event.data.subarray(from, to), timestamp: event.timestamp });
        if (!(await stub.sleep(attributes.delay / 1000))) {
          if (to < event.data.length)
            stub.emit({ data: event.data.subarray(to), timestamp: event.timestamp });
          return;
        }
      }
    }
  },
});
