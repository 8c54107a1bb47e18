/**
 * The InfluxDB sink's waiting lines: line protocol bytes in the chunks LineWriter made, oldest
 * first, counted in lines. Dropping the oldest lines and cutting a request body of n lines
 * work at line boundaries (the chunks know where each line ends), so a buffer of 100,000
 * points waiting through an outage costs no string or object per point.
 */
import { chunkBytes, lineEnd, lineStart, type LineChunk, type LineWriter } from './line-writer.js';

export class LineQueue {
  private chunks: LineChunk[] = [];
  /** First line still waiting in chunks[0] (its earlier lines were taken or dropped). */
  private headFirst = 0;
  private size = 0;

  /** The writer the chunks come from: they go back to it once sent or dropped. */
  constructor(private readonly writer: LineWriter) {}

  get length(): number {
    return this.size;
  }

  /** Appends a writer's chunks (take()), oldest first. */
  push(chunks: readonly LineChunk[]): void {
    for (const c of chunks) {
      const lines = c.end - c.first;
      if (lines === 0) {
        this.writer.release(c);
        continue;
      }
      this.size += lines;
      const last = this.chunks[this.chunks.length - 1];
      // Consecutive writes fill one slab: one chunk for all of them.
      if (last !== undefined && last.slab === c.slab && last.end === c.first) {
        last.end = c.end;
        this.writer.release(c);
      } else {
        if (this.chunks.length === 0) this.headFirst = c.first;
        this.chunks.push(c);
      }
    }
  }

  /** Forgets the n oldest lines (fewer if fewer wait). */
  drop(n: number): void {
    this.consume(n, undefined);
  }

  /** Removes the n oldest lines (fewer if fewer wait) and returns them as one request body. */
  take(n: number): { body: Buffer; lines: number } {
    let bytes = 0;
    let left = Math.min(n, this.size);
    const lines = left;
    for (let i = 0; left > 0; i++) {
      const c = this.chunks[i]!;
      const from = i === 0 ? this.headFirst : c.first;
      const k = Math.min(left, c.end - from);
      bytes += lineEnd(c, from + k - 1) - lineStart(c, from);
      left -= k;
    }
    const body = Buffer.allocUnsafe(bytes);
    this.consume(lines, body);
    return { body, lines };
  }

  clear(): void {
    this.consume(this.size, undefined);
  }

  /** Removes the n oldest lines, copying them into `into` when given. */
  private consume(n: number, into: Buffer | undefined): void {
    let left = Math.min(n, this.size);
    let at = 0;
    this.size -= left;
    while (left > 0) {
      const c = this.chunks[0]!;
      const k = Math.min(left, c.end - this.headFirst);
      if (into !== undefined) at += chunkBytes(c, this.headFirst, this.headFirst + k).copy(into, at);
      left -= k;
      if (this.headFirst + k === c.end) {
        this.chunks.shift();
        this.writer.release(c);
        this.headFirst = this.chunks[0]?.first ?? 0;
      } else {
        this.headFirst += k;
      }
    }
  }
}
