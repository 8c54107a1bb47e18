/**
 * One poll's points as columns: per point its metric name, its tag text (line protocol's
 * `,k=v,...`, made once per remembered series and shared, not copied) and its unsigned 64-bit
 * value as two 32-bit halves, all at one timestamp. A 100,000-rule poll is ~300,000 points:
 * as objects with a bigint each they were most of a poll's CPU (allocation and garbage
 * collection); as columns the line protocol writer reads them without allocating.
 *
 * Sinks read a batch synchronously in write() and keep nothing of it: a producer may reuse it,
 * and the metrics engine does (one batch per series memory, refilled by the next poll: ~7 MB
 * less garbage per 100,000-rule poll).
 * `point(i)` / `points()` make plain Point objects (tags parsed back from the text) for the
 * consumers that want them (JSON output, tests, logs).
 */
import { fromHalves, highHalf, lowHalf } from '../../protocol/wire/halves.js';
import { parseTags, formatTags } from './tag-text.js';
import type { Point } from './types.js';

export class PointBatch {
  length = 0;
  /** Per point, valid below `length` (the arrays are allocated ahead, past it). */
  metrics: string[];
  tagTexts: string[];
  hi: Uint32Array;
  lo: Uint32Array;

  /** timestamp: ms since the epoch, for every point of the batch. */
  constructor(public timestamp: number, capacity = 64) {
    const n = Math.max(1, capacity | 0);
    // Allocated to size and written by index: pushing 300,000 points grew and copied them.
    this.metrics = new Array<string>(n);
    this.tagTexts = new Array<string>(n);
    this.hi = new Uint32Array(n);
    this.lo = new Uint32Array(n);
  }

  /** Empty again, for points at another timestamp; the arrays are kept. */
  reset(timestamp: number): void {
    this.timestamp = timestamp;
    this.length = 0;
  }

  /** A point whose value is hi·2³² + lo (both unsigned 32-bit). */
  add(metric: string, tagText: string, hi: number, lo: number): void {
    const i = this.length;
    if (i === this.hi.length) this.grow();
    this.metrics[i] = metric;
    this.tagTexts[i] = tagText;
    this.hi[i] = hi;
    this.lo[i] = lo;
    this.length = i + 1;
  }

  /** A point with a bigint value (0 ≤ value < 2⁶⁴). */
  addBig(metric: string, tagText: string, value: bigint): void {
    if (value < 0n || value > 0xffff_ffff_ffff_ffffn) throw new RangeError(`${metric}: ${value} is not an unsigned 64-bit value`);
    this.add(metric, tagText, highHalf(value), lowHalf(value));
  }

  value(i: number): bigint {
    return fromHalves(this.hi[i]!, this.lo[i]!);
  }

  point(i: number): Point {
    const tagText = this.tagTexts[i]!;
    return { metric: this.metrics[i]!, tags: parseTags(tagText), tagText, value: this.value(i), timestamp: this.timestamp };
  }

  points(): Point[] {
    const out = new Array<Point>(this.length);
    for (let i = 0; i < this.length; i++) out[i] = this.point(i);
    return out;
  }

  /**
   * Points made one by one (self metrics, tests) as batches: one per timestamp, in order.
   * Values outside 0..2⁶⁴−1 cannot be carried and are counted in `rejected`.
   */
  static of(points: readonly Point[]): { batches: PointBatch[]; rejected: number } {
    const batches: PointBatch[] = [];
    let rejected = 0;
    let cur: PointBatch | undefined;
    for (const p of points) {
      if (p.value < 0n || p.value > 0xffff_ffff_ffff_ffffn) {
        rejected++;
        continue;
      }
      if (cur === undefined || cur.timestamp !== p.timestamp) batches.push((cur = new PointBatch(p.timestamp, points.length)));
      cur.addBig(p.metric, p.tagText ?? formatTags(p.tags), p.value);
    }
    return { batches, rejected };
  }

  private grow(): void {
    const n = this.hi.length * 2;
    const hi = new Uint32Array(n);
    const lo = new Uint32Array(n);
    hi.set(this.hi);
    lo.set(this.lo);
    this.hi = hi;
    this.lo = lo;
    this.metrics.length = n;
    this.tagTexts.length = n;
  }
}
