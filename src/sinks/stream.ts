/**
 * A sink writing one point per line to a stream (stdout by default), buffered: lines are
 * gathered and written in large chunks, and a reader that goes away (EPIPE: `ofstats run |
 * head`) ends the output quietly instead of crashing the poller.
 */
import type { Writable } from 'node:stream';
import type { Point } from '../metrics/types.js';
import { toJsonLine, toLine } from './line-protocol.js';
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

export class StreamSink implements Sink {
  readonly name: string;
  /** Points that could not be written (stream gone or blocked too long, or not representable). */
  dropped = 0;
  private readonly stream: Writable;
  private readonly format: (p: Point) => string | undefined;
  private readonly chunkBytes: number;
  private readonly maxBufferBytes: number;
  // One growing string (V8 keeps it as a rope until written): no array of lines to join.
  private buf = '';
  private bufLines = 0;
  private bufBytes = 0;
  private waitingDrain = false;
  private linger: NodeJS.Timeout | undefined;
  private broken = false;

  constructor(private readonly opts: StreamSinkOptions) {
    this.stream = opts.stream ?? process.stdout;
    this.name = `stream:${opts.format}`;
    this.format = opts.format === 'json' ? toJsonLine : toLine;
    this.chunkBytes = opts.chunkBytes ?? 64 * 1024;
    this.maxBufferBytes = opts.maxBufferBytes ?? 32 * 1024 * 1024;
    this.stream.on('error', (err: NodeJS.ErrnoException) => {
      this.broken = true;
      this.dropped += this.bufLines;
      this.buf = '';
      this.bufLines = 0;
      this.bufBytes = 0;
      if (err.code !== 'EPIPE') opts.onError?.(err);
    });
  }

  write(points: readonly Point[]): void {
    if (this.broken) {
      this.dropped += points.length;
      return;
    }
    for (const p of points) {
      const line = this.format(p);
      if (line === undefined || this.bufBytes > this.maxBufferBytes) {
        this.dropped++;
        continue;
      }
      this.buf += line + '\n';
      this.bufLines++;
      this.bufBytes += line.length + 1;
    }
    if (this.bufBytes >= this.chunkBytes) this.push();
    else if (this.bufLines > 0 && this.linger === undefined) {
      this.linger = setTimeout(() => {
        this.linger = undefined;
        this.push();
      }, this.opts.lingerMs ?? 100);
      this.linger.unref();
    }
  }

  /** Hand the buffer to the stream unless it asked us to wait for 'drain'. */
  private push(): boolean {
    if (this.broken || this.waitingDrain || this.bufLines === 0) return true;
    const chunk = this.buf;
    this.buf = '';
    this.bufLines = 0;
    this.bufBytes = 0;
    const ok = this.stream.write(chunk);
    if (!ok) {
      this.waitingDrain = true;
      this.stream.once('drain', () => {
        this.waitingDrain = false;
        if (this.bufBytes >= this.chunkBytes) this.push();
      });
    }
    return ok;
  }

  async flush(): Promise<void> {
    while (!this.broken && (this.bufLines > 0 || this.waitingDrain)) {
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
