/**
 * LineWriter (line protocol bytes from a PointBatch) against the one-point serializers toLine /
 * influxLine, whose forms are pinned by InfluxDB's line protocol reference in
 * test/metrics/sinks.test.ts and test/config/influx.test.ts; and the InfluxDB sink's byte queue.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { PointBatch } from '../../src/metrics/point-batch.js';
import { formatTags } from '../../src/metrics/tag-text.js';
import type { Point } from '../../src/metrics/types.js';
import { LineQueue } from '../../src/sinks/influx-buffer.js';
import { influxLine } from '../../src/sinks/influx.js';
import { INFLUX_PRECISIONS, type InfluxPrecision } from '../../src/sinks/influx-settings.js';
import { toLine } from '../../src/sinks/line-protocol.js';
import { chunkBytes, LineWriter, type LineChunk } from '../../src/sinks/line-writer.js';
import type { Sink } from '../../src/sinks/types.js';
import { writePoints } from '../../src/sinks/write-points.js';

const T = 1_700_000_000_123;

function bytesOf(chunks: readonly LineChunk[]): Buffer {
  return Buffer.concat(chunks.map((c) => chunkBytes(c)));
}

function expected(points: readonly Point[], precision: InfluxPrecision = 'ms'): Buffer {
  return Buffer.from(points.map((p) => influxLine(p, precision)).filter((l) => l !== undefined).map((l) => l + '\n').join(''), 'utf8');
}

function batchOf(points: readonly Point[], timestamp = points[0]?.timestamp ?? T): PointBatch {
  const b = new PointBatch(timestamp, 4);
  for (const p of points) b.addBig(p.metric, p.tagText ?? formatTags(p.tags), p.value);
  return b;
}

// Values around every boundary the digit writer has: 32-bit halves, 10^9, 2^53, int64.
const EDGES = [0n, 1n, 9n, 10n, 99n, 100n, 999_999_999n, 1_000_000_000n, (1n << 31n) - 1n, 1n << 31n, (1n << 32n) - 1n, 1n << 32n,
  (1n << 32n) + 1n, 999_999_999_999_999n, 1_000_000_000_000_000n, (1n << 53n) - 1n, 1n << 53n, (1n << 53n) + 1n,
  9_999_999_999_999_999n, 10_000_000_000_000_000n, (1n << 63n) - 1n, 1n << 63n, (1n << 64n) - 1n];
const value = fc.oneof(
  fc.constantFrom(...EDGES),
  fc.bigInt({ min: 0n, max: (1n << 32n) - 1n }),
  fc.bigInt({ min: 0n, max: (1n << 53n) - 1n }),
  fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }),
);
// Names and tags with what line protocol escapes, non-ASCII UTF-8 (2, 3 and 4 bytes), newlines.
const text = fc.oneof(
  fc.constantFrom('', 'a', 'flow.raw.bits', 'switch.rx-bytes', 'my metric,x', 'é', 'flöw €', 'id-😀', 'a=b', 'a\nb', 'x\\y'),
  fc.string({ unit: 'grapheme', maxLength: 12 }),
  fc.string({ maxLength: 20 }),
  fc.string({ unit: 'binary', maxLength: 8 }), // lone surrogates too: both sides write U+FFFD's bytes
);
// A series: one tag text (one string, as the engine shares it) for 1-3 consecutive points.
const series = fc.record({
  tags: fc.dictionary(text, text, { maxKeys: 5 }),
  points: fc.array(fc.record({ metric: text, value }), { minLength: 1, maxLength: 3 }),
});

test('LineWriter writes exactly the lines toLine makes, for random points (escapes, UTF-8, empty tags, big values)', () => {
  fc.assert(
    fc.property(fc.array(series, { maxLength: 20 }), fc.oneof(fc.constant(T), fc.double({ min: -1e15, max: 1e15, noNaN: true })), fc.constantFrom(64, 256 * 1024), (raw, ts, bufferBytes) => {
      const points: Point[] = raw.flatMap((s) => {
        const tagText = formatTags(s.tags);
        return s.points.map((p) => ({ ...p, tags: s.tags, tagText, timestamp: ts }));
      });
      const w = new LineWriter({ bufferBytes });
      const b = batchOf(points, ts);
      const made = w.append(b);
      const want = expected(points);
      assert.equal(made, points.filter((p) => toLine(p) !== undefined).length);
      assert.deepEqual(bytesOf(w.take()), want);
    }),
    { numRuns: 500 },
  );
});

test('every precision: the timestamp as influxLine writes it (exact at u and n)', () => {
  const points: Point[] = [
    { metric: 'm', tags: { a: 'x y' }, value: 9_007_199_254_740_993n, timestamp: T },
    { metric: 'm', tags: {}, value: 1n, timestamp: T },
  ];
  for (const ts of [T, T + 0.7, 1, -1_500, 8.64e15]) {
    for (const precision of INFLUX_PRECISIONS) {
      const pts = points.map((p) => ({ ...p, timestamp: ts }));
      const w = new LineWriter();
      w.append(batchOf(pts, ts), precision);
      assert.deepEqual(bytesOf(w.take()).toString(), expected(pts, precision).toString(), `${ts} ${precision}`);
    }
  }
  // The reference's own form, from the InfluxDB docs: seconds, micro- and nanoseconds.
  const w = new LineWriter();
  w.append(batchOf([points[1]!]), 'n');
  assert.equal(bytesOf(w.take()).toString(), 'm value=1i 1700000000123000000\n');
});

test('values beyond int64, empty names and a batch without a valid time are left out', () => {
  const b = new PointBatch(T);
  b.addBig('m', ',a=1', (1n << 63n) - 1n);
  b.addBig('m', ',a=2', 1n << 63n);
  b.addBig('', ',a=3', 5n);
  b.addBig('m', '', 0n);
  const w = new LineWriter();
  assert.equal(w.append(b), 2);
  assert.equal(bytesOf(w.take()).toString(), `m,a=1 value=9223372036854775807i ${T}\nm value=0i ${T}\n`);
  const nan = new PointBatch(Number.NaN);
  nan.add('m', '', 0, 1);
  assert.equal(w.append(nan), 0);
  assert.equal(w.lines, 0);
});

test('small buffers: lines never split, a line longer than a buffer gets one of its own, counts and sizes add up', () => {
  const long = ',k=' + 'é'.repeat(300);
  // Pairs of points share a tag text (one string), as a rule's metrics do; three share a long one.
  const texts = Array.from({ length: 100 }, (_, k) => `,i=${k}`);
  const points: Point[] = Array.from({ length: 200 }, (_, i) => ({ metric: `metric.${i % 7}`, tags: {}, tagText: i % 50 >= 3 && i % 50 <= 5 ? long : texts[i >> 1]!, value: (BigInt(i) << BigInt(i % 60)) & 0xffff_ffff_ffff_ffffn, timestamp: T }));
  const w = new LineWriter({ bufferBytes: 256 });
  const lines = points.filter((p) => toLine(p) !== undefined).length;
  assert.ok(lines > 150);
  assert.equal(w.append(batchOf(points)), lines);
  assert.equal(w.lines, lines);
  const want = expected(points);
  assert.equal(w.bytes, want.length);
  const chunks = w.take();
  assert.ok(chunks.length > 10);
  assert.deepEqual(bytesOf(chunks), want);
  for (const c of chunks) assert.equal(chunkBytes(c).at(-1), 10);
  assert.equal(w.lines, 0);
  assert.equal(w.bytes, 0);
});

test('maxBytes: lines stop once more than that many bytes wait (the first one past it is kept)', () => {
  const b = new PointBatch(T);
  for (let i = 0; i < 10; i++) b.add('m', '', 0, i); // 'm value=Ni 1700000000123\n': 25 bytes
  const w = new LineWriter();
  assert.equal(w.append(b, 'ms', 0, 10, 60), 3);
  assert.equal(w.bytes, 75);
  assert.equal(w.append(b, 'ms', 0, 10, 60), 0);
});

test('released buffers are reused; bytes still held are never written over', () => {
  const w = new LineWriter({ bufferBytes: 128, maxSpareBytes: 1 << 20 });
  const b = new PointBatch(T);
  for (let i = 0; i < 40; i++) b.add('m', ',n=' + i, 0, i);
  w.append(b);
  const held = w.take();
  const heldCopy = Buffer.from(bytesOf(held));
  w.append(b);
  const second = w.take();
  assert.ok(second.length >= 5);
  for (const c of second) w.release(c);
  w.release(second[0]!); // twice: no effect
  w.append(b);
  const third = w.take();
  const known = new Set(second.map((c) => c.slab));
  assert.ok(third.filter((c) => !known.has(c.slab)).length <= 1, 'the released buffers are written again');
  // Only the buffer the held lines end in (and the next ones start in) is shared with them.
  assert.ok(third.filter((c) => held.some((h) => h.slab === c.slab)).every((c) => c.slab === held.at(-1)!.slab));
  for (let r = 0; r < 5; r++) {
    for (const c of third) w.release(c);
    w.append(b);
    third.splice(0, third.length, ...w.take());
  }
  assert.deepEqual(bytesOf(held), heldCopy);
  assert.deepEqual(bytesOf(third), heldCopy);
});

test('LineQueue: bodies of n whole lines across chunks, oldest first; dropping the oldest lines', () => {
  const w = new LineWriter({ bufferBytes: 100 });
  const q = new LineQueue(w);
  const all: string[] = [];
  for (let round = 0; round < 6; round++) {
    const b = new PointBatch(T + round);
    for (let i = 0; i < 7; i++) {
      b.add('m', `,r=${round}`, 0, i);
      all.push(`m,r=${round} value=${i}i ${T + round}\n`);
    }
    w.append(b);
    q.push(w.take());
  }
  assert.equal(q.length, 42);
  const first = q.take(5);
  assert.equal(first.lines, 5);
  assert.equal(first.body.toString(), all.slice(0, 5).join(''));
  q.drop(10);
  assert.equal(q.length, 27);
  const next = q.take(20);
  assert.equal(next.body.toString(), all.slice(15, 35).join(''));
  const rest = q.take(100);
  assert.equal(rest.lines, 7);
  assert.equal(rest.body.toString(), all.slice(35).join(''));
  assert.equal(q.length, 0);
  assert.equal(q.take(3).lines, 0);
  q.drop(3);
  w.append(PointBatch.of([{ metric: 'm', tags: {}, value: 1n, timestamp: T }]).batches[0]!);
  q.push(w.take());
  q.clear();
  assert.equal(q.length, 0);
});

test('writePoints: one batch per timestamp, in order; values no batch can carry are counted, not written', () => {
  const got: [number, bigint[]][] = [];
  const sink: Sink = {
    name: 'probe',
    write: (b) => { got.push([b.timestamp, Array.from({ length: b.length }, (_, i) => b.value(i))]); },
    flush: async () => {},
    close: async () => {},
  };
  const rejected = writePoints(sink, [
    { metric: 'a', tags: {}, value: 1n, timestamp: 5 },
    { metric: 'a', tags: {}, value: -1n, timestamp: 5 },
    { metric: 'b', tags: {}, value: (1n << 64n) - 1n, timestamp: 5 },
    { metric: 'a', tags: {}, value: 3n, timestamp: 6 },
  ]);
  assert.equal(rejected, 1);
  assert.deepEqual(got, [[5, [1n, (1n << 64n) - 1n]], [6, [3n]]]);
});
