/**
 * A sink writing one point per line to a stream (stdout by default), buffered: lines are
 * gathered and written in large chunks, and a reader that goes away (EPIPE: `ofstats run |
 * head`) ends the output quietly instead of crashing the poller.
 *
 * 'line' is written as bytes straight from the batch (LineWriter); 'json' makes a Point per
 * line (rarely used: exactness over speed).
 */
import { WriteStream } from 'node:fs';
import { Socket } from 'node:net';
import type { Writable } from 'node:stream';
import type { PointBatch } from '../metrics/point-batch.js';
import { toJsonLine } from './line-protocol.js';
import { chunkBytes, LineWriter, type LineChunk } from './line-writer.js';
import type { Sink } from './types.js';

export type LineFormat = 'line' | 'json';

export interface StreamSinkOptions {
  format: LineFormat;
  stream?: Writable;
  /** Write once this many bytes are buffered, without waiting for flush(). */
  chunkBytes?: number;
  /**
   * A partial chunk is written this long after the write that started it (ms), so a small
   * switch's points appear promptly while many small batches still share one write.
   */
  lingerMs?: number;
  /** While the stream does not drain, buffer at most this many bytes; newer points are dropped. */
  maxBufferBytes?: number;
  onError?: (err: Error) => void;
}

/** Points formatted between two looks at the buffer: a big poll's lines leave in chunks. */
const SLICE = 4096;

/**
 * Streams that are done with a chunk once its write callback runs, or once nothing is left
 * queued after write() returns (a pipe or file written at once): their chunks' memory is
 * reused. Any other Writable (a PassThrough hands the very Buffer on) gets memory never reused.
 */
function reusesChunks(s: Writable): boolean {
  return s instanceof Socket || s instanceof WriteStream || s === process.stdout || s === process.stderr;
}

export class StreamSink implements Sink {
  readonly name: string;
  /** Points that could not be written (stream gone or blocked too long, or not representable). */
  dropped = 0;
  private readonly stream: Writable;
  private readonly chunkBytes: number;
  private readonly maxBufferBytes: number;
  private readonly reuse: boolean;
  private readonly out = new LineWriter();
  private waitingDrain = false;
  private linger: NodeJS.Timeout | undefined;
  private broken = false;

  constructor(private readonly opts: StreamSinkOptions) {
    this.stream = opts.stream ?? process.stdout;
    this.name = `stream:${opts.format}`;
    this.chunkBytes = opts.chunkBytes ?? 64 * 1024;
    this.maxBufferBytes = opts.maxBufferBytes ?? 32 * 1024 * 1024;
    this.reuse = reusesChunks(this.stream);
    this.stream.on('error', (err: NodeJS.ErrnoException) => {
      this.broken = true;
      this.dropped += this.out.lines;
      this.out.clear();
      if (err.code !== 'EPIPE') opts.onError?.(err);
    });
  }

  write(batch: PointBatch): void {
    if (this.broken) {
      this.dropped += batch.length;
      return;
    }
    let written = 0;
    for (let i = 0; i < batch.length; i += SLICE) {
      // A stream that takes what it is given gets it all, in chunks; only while it makes us
      // wait for 'drain' is what waits bounded.
      const max = this.waitingDrain ? this.maxBufferBytes : Infinity;
      if (this.out.bytes > max) break;
      const end = Math.min(batch.length, i + SLICE);
      if (this.opts.format === 'line') {
        written += this.out.append(batch, 'ms', i, end, max);
      } else {
        for (let k = i; k < end && this.out.bytes <= max; k++, written++) this.out.appendText(toJsonLine(batch.point(k)));
      }
      if (this.out.bytes >= this.chunkBytes) this.push();
    }
    // Not representable, or past maxBufferBytes while the stream did not drain.
    this.dropped += batch.length - written;
    if (this.out.bytes >= this.chunkBytes) this.push();
    else if (this.out.lines > 0 && this.linger === undefined) {
      this.linger = setTimeout(() => {
        this.linger = undefined;
        this.push();
      }, this.opts.lingerMs ?? 100);
      this.linger.unref();
    }
  }

  /** Hand the buffer to the stream unless it asked us to wait for 'drain'. */
  private push(): boolean {
    if (this.broken || this.waitingDrain || this.out.lines === 0) return true;
    let ok = true;
    for (const c of this.out.take()) ok = this.send(c);
    if (!ok) {
      this.waitingDrain = true;
      this.stream.once('drain', () => {
        this.waitingDrain = false;
        if (this.out.bytes >= this.chunkBytes) this.push();
      });
    }
    return ok;
  }

  private send(c: LineChunk): boolean {
    if (!this.reuse) return this.stream.write(chunkBytes(c));
    const ok = this.stream.write(chunkBytes(c), () => this.out.release(c));
    // Nothing queued: the bytes went out within write() (a pipe or tty that took them all).
    if (this.stream.writableLength === 0) this.out.release(c);
    return ok;
  }

  async flush(): Promise<void> {
    while (!this.broken && (this.out.lines > 0 || this.waitingDrain)) {
      if (this.waitingDrain) {
        await new Promise<void>((resolve) => {
          const done = () => { this.stream.off('error', done); this.stream.off('drain', done); this.stream.off('close', done); resolve(); };
          this.stream.once('drain', done);
          this.stream.once('error', done);
          this.stream.once('close', done);
        });
        // The drain listener set by push() has run by now (registered first).
        if (this.stream.destroyed || this.stream.writableEnded) this.broken = true;
        continue;
      }
      this.push();
    }
    // Wait for what the stream holds to reach the OS: a write callback runs after earlier ones.
    if (!this.broken && !this.stream.destroyed && !this.stream.writableEnded) {
      await new Promise<void>((resolve) => {
        try {
          this.stream.write('', () => resolve());
        } catch {
          resolve();
        }
      });
    }
  }

  async close(): Promise<void> {
    clearTimeout(this.linger);
    this.linger = undefined;
    await this.flush();
  }
}
