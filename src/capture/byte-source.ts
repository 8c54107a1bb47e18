import { closeSync, openSync, readSync } from 'node:fs';

/**
 * Sequential reads from a file or a buffer without holding a whole (possibly multi-GB)
 * capture in memory: `take(n)` returns the next n bytes or fewer at end of input.
 */
export interface ByteSource {
  /** Up to n bytes; fewer only at end of input. The Buffer stays valid until the next call. */
  take(n: number): Buffer;
  /** Bytes consumed so far (for error messages). */
  readonly position: number;
  close(): void;
}

export class BufferSource implements ByteSource {
  position = 0;
  constructor(private readonly buf: Buffer) {}
  take(n: number): Buffer {
    const out = this.buf.subarray(this.position, this.position + n);
    this.position += out.length;
    return out;
  }
  close(): void {}
}

const CHUNK = 1 << 20;

export class FileSource implements ByteSource {
  private readonly fd: number;
  private buf = Buffer.alloc(CHUNK);
  private start = 0;
  private end = 0;
  private eof = false;
  position = 0;

  constructor(path: string) {
    this.fd = openSync(path, 'r');
  }

  take(n: number): Buffer {
    if (this.end - this.start < n && !this.eof) this.fill(n);
    const len = Math.min(n, this.end - this.start);
    const out = this.buf.subarray(this.start, this.start + len);
    this.start += len;
    this.position += len;
    return out;
  }

  /** Make n bytes contiguous in `buf`, growing it for records bigger than a chunk. */
  private fill(n: number): void {
    const have = this.end - this.start;
    const size = Math.max(CHUNK, n);
    // A fresh buffer each refill: slices handed out earlier must not be overwritten.
    const next = Buffer.allocUnsafe(size);
    this.buf.copy(next, 0, this.start, this.end);
    this.buf = next;
    this.start = 0;
    this.end = have;
    while (this.end < n) {
      const got = readSync(this.fd, this.buf, this.end, size - this.end, null);
      if (got === 0) {
        this.eof = true;
        break;
      }
      this.end += got;
    }
  }

  close(): void {
    closeSync(this.fd);
  }
}
