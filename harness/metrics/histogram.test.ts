/**
 * Histograms: microsecond recording with counted clamps, exact merges, percentiles of known
 * distributions, and the HdrHistogram V2 wire format checked against the format itself (a reader and
 * a writer written here from the spec), not only against hdr-histogram-js's own round trip.
 */
import assert from 'node:assert/strict';
import { deflateSync, inflateSync } from 'node:zlib';
import { seededRandom } from '../core/random.ts';
import {
  clampCounts,
  createHistogram,
  decodeHistogram,
  encodeHistogram,
  HISTOGRAM_LAYOUT,
  type LatencyHistogram,
  mergeHistograms,
  recordMs,
  summarize,
} from './histogram.ts';

// --- The V2 format, independently of hdr-histogram-js -------------------------------------------

/** Counts-array index of a value for our layout (1 µs, 3 digits: 2048 sub-buckets, half 1024). */
function indexOf(us: number): number {
  if (us < 2048) return us;
  const bucket = Math.floor(Math.log2(us)) - 10;
  return (bucket + 1) * 1024 + Math.floor(us / 2 ** bucket) - 1024;
}

interface V2 {
  cookie: number;
  innerCookie: number;
  normalizingIndexOffset: number;
  significantDigits: number;
  lowest: bigint;
  highest: bigint;
  conversionRatio: number;
  /** index → count, non-zero counts only. */
  counts: Map<number, number>;
}

/** ZigZag LEB128-64b9B: 7 bits per byte for 8 bytes, then a whole 9th byte. */
function readVarint(buf: Buffer, at: number): [bigint, number] {
  let raw = 0n;
  let pos = at;
  for (let i = 0; i < 9; i++) {
    const byte = buf[pos++] ?? 0;
    if (i === 8) {
      raw |= BigInt(byte) << 56n;
      break;
    }
    raw |= BigInt(byte & 0x7f) << BigInt(7 * i);
    if ((byte & 0x80) === 0) break;
  }
  return [(raw >> 1n) ^ -(raw & 1n), pos];
}

function writeVarint(out: number[], value: bigint): void {
  let raw = value >= 0n ? value << 1n : (-value << 1n) - 1n;
  for (let i = 0; i < 8; i++) {
    if (raw < 0x80n) {
      out.push(Number(raw));
      return;
    }
    out.push(Number(raw & 0x7fn) | 0x80);
    raw >>= 7n;
  }
  out.push(Number(raw));
}

function readV2(encoded: string): V2 {
  const framed = Buffer.from(encoded, 'base64');
  const payload = inflateSync(framed.subarray(8, 8 + framed.readUInt32BE(4)));
  const payloadLength = payload.readUInt32BE(4);
  const counts = new Map<number, number>();
  let index = 0;
  let pos = 40;
  while (pos < 40 + payloadLength) {
    const [value, next] = readVarint(payload, pos);
    pos = next;
    if (value < 0n) index += Number(-value);
    else {
      if (value > 0n) counts.set(index, Number(value));
      index++;
    }
  }
  return {
    cookie: framed.readUInt32BE(0),
    innerCookie: payload.readUInt32BE(0),
    normalizingIndexOffset: payload.readInt32BE(8),
    significantDigits: payload.readInt32BE(12),
    lowest: payload.readBigUInt64BE(16),
    highest: payload.readBigUInt64BE(24),
    conversionRatio: payload.readDoubleBE(32),
    counts,
  };
}

/** Writes a histogram the way the Java reference implementation does (offset 0, ratio 1.0). */
function writeV2AsJavaDoes(counts: Map<number, number>): string {
  const body: number[] = [];
  let next = 0;
  for (const index of [...counts.keys()].sort((a, b) => a - b)) {
    if (index - next > 1) writeVarint(body, BigInt(-(index - next)));
    else if (index - next === 1) writeVarint(body, 0n);
    writeVarint(body, BigInt(counts.get(index) ?? 0));
    next = index + 1;
  }
  const header = Buffer.alloc(40);
  header.writeUInt32BE(0x1c849313, 0);
  header.writeUInt32BE(body.length, 4);
  header.writeInt32BE(0, 8);
  header.writeInt32BE(3, 12);
  header.writeBigUInt64BE(1n, 16);
  header.writeBigUInt64BE(3_600_000_000n, 24);
  header.writeDoubleBE(1.0, 32);
  const compressed = deflateSync(Buffer.concat([header, Buffer.from(body)]));
  const framed = Buffer.alloc(8);
  framed.writeUInt32BE(0x1c849314, 0);
  framed.writeUInt32BE(compressed.length, 4);
  return Buffer.concat([framed, compressed]).toString('base64');
}

// --- Data ----------------------------------------------------------------------------------------

/** Log-uniform values across the whole range, both ends included, in whole µs. */
function spreadUs(n: number, seed: number): number[] {
  const random = seededRandom(seed);
  const values = [1, 2, 1000, 2047, 2048, 2049, HISTOGRAM_LAYOUT.highestTrackableUs];
  while (values.length < n) values.push(Math.max(1, Math.round(3.6e9 ** random())));
  return values;
}

function expectedCounts(valuesUs: readonly number[]): Map<number, number> {
  const counts = new Map<number, number>();
  for (const v of valuesUs) counts.set(indexOf(v), (counts.get(indexOf(v)) ?? 0) + 1);
  return counts;
}

function recordAllUs(h: LatencyHistogram, valuesUs: readonly number[]): void {
  for (const v of valuesUs) recordMs(h, v / 1000);
}

const sorted = (m: Map<number, number>) => [...m].sort((a, b) => a[0] - b[0]);

describe('metrics/histogram', () => {
  describe('recordMs', () => {
    it('records milliseconds as whole microseconds, rounded to nearest', () => {
      const h = createHistogram();
      recordMs(h, 1.2346);
      assert.equal(h.totalCount, 1);
      assert.equal(summarize(h).max, 1.235);
    });

    it('clamps below 1 µs and above 1 hour to the bounds, and counts each clamp', () => {
      const h = createHistogram();
      recordMs(h, 0);
      recordMs(h, 0.0004);
      recordMs(h, -5);
      recordMs(h, 3_600_000.001);
      recordMs(h, 86_400_000);
      assert.equal(h.totalCount, 5, 'no value is lost');
      assert.deepEqual(clampCounts(h), { low: 3, high: 2 });
      assert.equal(summarize(h).min, 0.001);
      assert.ok(summarize(h).max >= 3_600_000, 'clamped to the top of the range');
    });

    it('refuses non-finite durations loudly and records nothing', () => {
      const h = createHistogram();
      assert.throws(() => recordMs(h, Number.NaN), RangeError);
      assert.throws(() => recordMs(h, Number.POSITIVE_INFINITY), RangeError);
      assert.equal(h.totalCount, 0);
    });

    it('uses the documented fixed layout', () => {
      const h = createHistogram();
      assert.equal(h.highestTrackableValue, 3_600_000_000);
      assert.equal(h.numberOfSignificantValueDigits, 3);
      assert.equal(h.autoResize, false);
    });
  });

  describe('encode/decode (HdrHistogram V2, compressed base64)', () => {
    it('writes the V2 header as the Java reference does: offset 0, ratio 1.0, our layout', () => {
      const h = createHistogram();
      recordMs(h, 12.5);
      const v2 = readV2(encodeHistogram(h));
      assert.equal(v2.cookie, 0x1c849314);
      assert.equal(v2.innerCookie, 0x1c849313);
      assert.equal(v2.normalizingIndexOffset, 0);
      assert.equal(v2.conversionRatio, 1.0);
      assert.equal(v2.significantDigits, 3);
      assert.equal(v2.lowest, 1n);
      assert.equal(v2.highest, 3_600_000_000n);
    });

    it('encodes exactly the recorded counts, as read by an independent V2 reader', () => {
      const values = spreadUs(20_000, 7);
      const h = createHistogram();
      recordAllUs(h, values);
      assert.deepEqual(sorted(readV2(encodeHistogram(h)).counts), sorted(expectedCounts(values)));
    });

    it('round-trips exactly: same count at every value, same total, same max and summary', () => {
      const values = spreadUs(20_000, 11);
      const h = createHistogram();
      recordAllUs(h, values);
      const encoded = encodeHistogram(h);
      const decoded = decodeHistogram(encoded);
      assert.equal(decoded.totalCount, h.totalCount);
      assert.deepEqual(sorted(readV2(encodeHistogram(decoded)).counts), sorted(expectedCounts(values)));
      assert.deepEqual(summarize(decoded), summarize(h));
      assert.equal(summarize(decoded).max, summarize(h).max);
      assert.equal(encodeHistogram(decoded), encoded, 'and re-encodes to the same string');
    });

    it('round-trips an empty histogram', () => {
      const decoded = decodeHistogram(encodeHistogram(createHistogram()));
      assert.equal(decoded.totalCount, 0);
      assert.deepEqual(summarize(decoded), summarize(createHistogram()));
    });

    it('decodes a histogram written byte by byte the Java way', () => {
      const counts = new Map([
        [indexOf(1), 3],
        [indexOf(1000), 5],
        [indexOf(250_000), 2],
        [indexOf(3_600_000_000), 1],
      ]);
      const h = decodeHistogram(writeV2AsJavaDoes(counts));
      assert.equal(h.totalCount, 11);
      const s = summarize(h);
      assert.equal(s.min, 0.001);
      assert.equal(s.p50, 1, '6th of 11 values is the first 1 ms one');
      assert.equal(s.p90, 250.111, '10th value: 250 ms, top of its 128 µs-wide bucket');
      // 3.6e9 µs shares a 2^21 µs-wide bucket starting at 1716 × 2^21; max reports its top.
      assert.equal(s.max, (1717 * 2 ** 21 - 1) / 1000);
      assert.deepEqual(sorted(readV2(encodeHistogram(h)).counts), sorted(counts));
    });

    it("decodes the reference string from hdr-histogram-js's README (one value, 42)", () => {
      const h = decodeHistogram('HISTFAAAAB542pNpmSzMwMDAxAABzFCaEUoz2X+AMIKZAEARAtM=');
      assert.equal(h.totalCount, 1);
      assert.equal(summarize(h).p50, 0.042);
      // Its range (1..2) is widened to ours, so it merges with our histograms.
      const merged = mergeHistograms([h, createHistogram()]);
      assert.equal(merged.totalCount, 1);
    });

    it('rejects strings that are not V2 histograms with a usage error', () => {
      assert.throws(
        () => decodeHistogram('bm90IGEgaGlzdG9ncmFt'),
        (e: Error & { code?: string }) => e.code === 'METRICS_HISTOGRAM_INVALID',
      );
    });
  });

  describe('mergeHistograms', () => {
    it('merging per-bucket histograms equals recording everything in one', () => {
      const values = spreadUs(30_000, 3);
      const random = seededRandom(5);
      const buckets = Array.from({ length: 10 }, () => createHistogram());
      const whole = createHistogram();
      for (const v of values) {
        recordMs(buckets[Math.floor(random() * 10)] as LatencyHistogram, v / 1000);
        recordMs(whole, v / 1000);
      }
      const merged = mergeHistograms(buckets);
      assert.equal(merged.totalCount, whole.totalCount);
      assert.deepEqual(summarize(merged), summarize(whole));
      assert.equal(encodeHistogram(merged), encodeHistogram(whole));
      assert.equal(
        buckets.reduce((n, b) => n + b.totalCount, 0),
        values.length,
        'inputs unchanged',
      );
    });

    it('merges decoded histograms like live ones, and sums clamp counts', () => {
      const a = createHistogram();
      const b = createHistogram();
      recordMs(a, 5);
      recordMs(a, -1);
      recordMs(b, 7);
      recordMs(b, 4_000_000);
      const merged = mergeHistograms([decodeHistogram(encodeHistogram(a)), b, a]);
      assert.equal(merged.totalCount, 6);
      assert.deepEqual(
        clampCounts(merged),
        { low: 1, high: 1 },
        'decoding loses clamps; live a and b keep theirs',
      );
    });
  });

  describe('summarize (ms)', () => {
    it('uniform 1..10000 ms: every percentile within 0.1 % of the exact one', () => {
      const h = createHistogram();
      for (let ms = 1; ms <= 10_000; ms++) recordMs(h, ms);
      const s = summarize(h);
      const near = (actual: number, expected: number, what: string) =>
        assert.ok(
          Math.abs(actual - expected) <= expected * 0.001,
          `${what} ${actual} vs ${expected} ± 0.1 %`,
        );
      assert.equal(s.count, 10_000);
      near(s.p50, 5000, 'p50');
      near(s.p90, 9000, 'p90');
      near(s.p99, 9900, 'p99');
      near(s.p999, 9990, 'p99.9');
      near(s.mean, 5000.5, 'mean');
      near(s.max, 10_000, 'max');
      assert.equal(s.min, 1);
      assert.ok(s.p50 >= 5000 && s.max >= 10_000, 'bounds are never below the true value');
    });

    it('a two-mode distribution: 99 % at 2 ms and 1 % at 900 ms shows at p99.9, not p99', () => {
      const h = createHistogram();
      for (let i = 0; i < 9900; i++) recordMs(h, 2);
      for (let i = 0; i < 100; i++) recordMs(h, 900);
      const s = summarize(h);
      assert.equal(s.p50, 2);
      assert.equal(s.p99, 2);
      assert.ok(Math.abs(s.p999 - 900) <= 0.9, `p99.9 ${s.p999}`);
    });

    it('an empty histogram summarizes to zeros', () => {
      assert.deepEqual(summarize(createHistogram()), {
        count: 0,
        min: 0,
        mean: 0,
        max: 0,
        p50: 0,
        p90: 0,
        p99: 0,
        p999: 0,
      });
    });
  });
});
