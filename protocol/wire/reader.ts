import { OfDecodeError } from '../errors.js';

/**
 * A bounds-checked cursor over a Buffer. Every read checks against `end` first and throws
 * OfDecodeError (never RangeError), and `sub()` gives nested structures a cursor that cannot
 * read past the length their parent declared.
 */
export class Reader {
  readonly buf: Buffer;
  pos: number;
  end: number;
  /** Offsets in errors are reported relative to this (the start of the message). */
  readonly base: number;

  constructor(buf: Buffer, start = 0, end = buf.length, base = start) {
    this.buf = buf;
    this.pos = start;
    this.end = end;
    this.base = base;
  }

  get offset(): number {
    return this.pos - this.base;
  }

  get remaining(): number {
    return this.end - this.pos;
  }

  fail(reason: string, at: number = this.pos): never {
    throw new OfDecodeError(at - this.base, reason);
  }

  need(n: number, what: string): void {
    if (n < 0 || this.pos + n > this.end) {
      this.fail(`truncated ${what}: need ${n} bytes, ${this.end - this.pos} left`);
    }
  }

  u8(what = 'u8'): number {
    if (this.pos + 1 > this.end) this.need(1, what);
    return this.buf[this.pos++]!;
  }

  u16(what = 'u16'): number {
    const p = this.pos;
    if (p + 2 > this.end) this.need(2, what);
    this.pos = p + 2;
    return (this.buf[p]! << 8) | this.buf[p + 1]!;
  }

  u32(what = 'u32'): number {
    const p = this.pos;
    if (p + 4 > this.end) this.need(4, what);
    this.pos = p + 4;
    const b = this.buf;
    return b[p]! * 0x1000000 + ((b[p + 1]! << 16) | (b[p + 2]! << 8) | b[p + 3]!);
  }

  u64(what = 'u64'): bigint {
    const p = this.pos;
    if (p + 8 > this.end) this.need(8, what);
    this.pos = p + 8;
    return this.buf.readBigUInt64BE(p);
  }

  bytes(n: number, what = 'bytes'): Buffer {
    this.need(n, what);
    const out = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  skip(n: number, what = 'padding'): void {
    this.need(n, what);
    this.pos += n;
  }

  /**
   * A cursor over the next `len` bytes, advancing this one past them. `len` comes from the
   * wire, so it is checked against what the parent has left: a child can never overrun.
   */
  sub(len: number, what: string): Reader {
    if (len < 0 || this.pos + len > this.end) {
      this.fail(`${what} length ${len} runs past its parent (${this.end - this.pos} bytes left)`);
    }
    const r = new Reader(this.buf, this.pos, this.pos + len, this.base);
    this.pos += len;
    return r;
  }

  /** Structures whose first field after a type is a length covering the whole structure. */
  peekU16(at: number): number {
    if (this.pos + at + 2 > this.end) this.need(at + 2, 'length field');
    const p = this.pos + at;
    return (this.buf[p]! << 8) | this.buf[p + 1]!;
  }

  expectEnd(what: string): void {
    if (this.pos !== this.end) this.fail(`${this.end - this.pos} unexpected trailing bytes in ${what}`);
  }
}
