/**
 * Line protocol written as bytes straight from a PointBatch's columns: no Point, no bigint and
 * no line string per point. A 100,000-rule poll is ~300,000 lines; as strings (template
 * literal, bigint toString, concatenation, then encoding) they cost ~1 us each, as bytes
 * ~0.1 us (`npm run bench:lines`).
 *
 * The tag text is the one native call (UTF-8: a flow id can be any UTF-8, so latin1Write would
 * be wrong, and a JS loop over 170 chars is 3x slower than the call), and only for the first
 * of a series' consecutive points: the engine writes a rule's metrics one after the other with
 * the same tag text, whose bytes the next lines copy (copyWithin, a builtin, half the cost).
 * Everything else is stored by hand, 4 or 2 bytes at a time through a DataView: the
 * measurement (cached per metric name), ` value=`, the value's digits made from its two 32-bit
 * halves by number arithmetic (BigInt only at or above 2^53), and `i <timestamp>\n` (made once
 * per batch and precision). Word stores may run up to 3 bytes past a field; the next field, or
 * the room the capacity check keeps, takes them.
 *
 * Output memory is recycled: ~64 MB per 100,000-rule poll as fresh Buffers made V8 count
 * external memory and run a full collection every few polls. A consumer that knows when it is
 * done with a chunk (a stream's write callback, a request body copied) calls release(); the
 * writer then reuses its buffer. A chunk never released is simply garbage collected.
 *
 * Every line is byte-identical to toLine() of the same point (tested on random batches).
 */
import type { PointBatch } from '../metrics/point-batch.js';
import type { InfluxPrecision } from './influx-settings.js';
import { escapeMeasurement } from './line-protocol.js';

/** Buffer's string writers without the argument juggling of write() (Node has them, its types not). */
type RawBuffer = Buffer & {
  utf8Write(s: string, offset: number, length: number): number;
  latin1Write(s: string, offset: number, length: number): number;
};

/** A buffer the writer fills, its line ends (ends[k]: just past line k's newline). */
class Slab {
  readonly buf: RawBuffer;
  readonly view: DataView;
  readonly ends: Uint32Array;
  /** Chunks handed out and not released, plus one while the writer still writes into it. */
  refs = 1;

  constructor(buf: Buffer) {
    this.buf = buf as RawBuffer;
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    // An average line is far above 64 bytes; a slab of shorter ones is cut when this fills.
    this.ends = new Uint32Array(Math.max(16, buf.length >> 6));
  }
}

/** Lines `first` .. `end - 1` of one slab. */
export interface LineChunk {
  readonly slab: Slab;
  readonly first: number;
  end: number;
  released: boolean;
}

/** Where line k of a chunk's slab starts: lines are contiguous, the first at 0. */
export function lineStart(c: LineChunk, k: number): number {
  return k === 0 ? 0 : c.slab.ends[k - 1]!;
}

export function lineEnd(c: LineChunk, k: number): number {
  return c.slab.ends[k]!;
}

/** Lines first .. end - 1 of the chunk's slab as one view (no copy). */
export function chunkBytes(c: LineChunk, first = c.first, end = c.end): Buffer {
  return c.slab.buf.subarray(lineStart(c, first), c.slab.ends[end - 1]!);
}

/** The point line protocol can carry: an int64 value (hi < 2^31), a measurement name. */
export function writable(batch: PointBatch, i: number): boolean {
  return batch.hi[i]! < 0x8000_0000 && batch.metrics[i]!.length > 0;
}

/** A byte string as little-endian 32-bit words, for the word stores (setInt32(.., true)). */
interface Words {
  readonly words: Int32Array;
  readonly length: number;
}

function words(text: string): Words {
  const bytes = Buffer.from(text, 'utf8');
  const padded = new Uint8Array((bytes.length + 3) & ~3);
  padded.set(bytes);
  const view = new DataView(padded.buffer);
  const w = new Int32Array(padded.length >> 2);
  for (let k = 0; k < w.length; k++) w[k] = view.getInt32(k * 4, true);
  return { words: w, length: bytes.length };
}

/** ` value=` + a spare byte the digits overwrite. */
const VALUE_EQ = words(' value=\0').words;
/** Digit pairs '00'..'99' as little-endian 16-bit words. */
const PAIRS = new Uint16Array(100);
for (let d = 0; d < 100; d++) PAIRS[d] = (48 + ((d / 10) | 0)) | ((48 + (d % 10)) << 8);
/** Besides measurement, tags and tail: ` value=` (8 stored), 19 digits, the tail's 16 stored. */
const LINE_ROOM = 8 + 20 + 16;
const TWO_32 = 4294967296;
const TWO_53_HI = 0x20_0000;

const measurements = new Map<string, Words>();
/** Escaped measurement names: a fixed set (the metric table times one prefix), bounded anyway. */
function measurement(metric: string): Words {
  let m = measurements.get(metric);
  if (m === undefined) {
    m = words(escapeMeasurement(metric));
    if (measurements.size < 10_000) measurements.set(metric, m);
  }
  return m;
}

// A batch's points share one timestamp: `i <timestamp>\n` is made once, not per point.
let tailTs = NaN;
let tailPrecision: InfluxPrecision = 'ms';
let tail: Words = words('');
function tailWords(ts: number, precision: InfluxPrecision): Words {
  if (ts !== tailTs || precision !== tailPrecision) {
    tailTs = ts;
    tailPrecision = precision;
    tail = words(`i ${timestampText(ts, precision)}\n`);
  }
  return tail;
}

/** ms since the epoch at an InfluxDB precision, exact (BigInt once per batch, not per point). */
export function timestampText(ts: number, precision: InfluxPrecision): string {
  const ms = Math.trunc(ts);
  if (precision === 'ms') return String(ms);
  const b = BigInt(ms);
  return (precision === 's' ? b / 1000n : precision === 'u' ? b * 1000n : b * 1_000_000n).toString();
}

/** Digits of 0 <= w < 10^9. */
function digitCount(w: number): number {
  if (w < 100_000) return w < 100 ? (w < 10 ? 1 : 2) : w < 1000 ? 3 : w < 10_000 ? 4 : 5;
  return w < 10_000_000 ? (w < 1_000_000 ? 6 : 7) : w < 100_000_000 ? 8 : 9;
}

/** 0 <= w < 10^9 as exactly n digits ending at end, two at a time. */
function fillDigits(view: DataView, end: number, w: number, n: number): void {
  while (n >= 2) {
    const q = (w / 100) | 0;
    end -= 2;
    view.setUint16(end, PAIRS[w - q * 100]!, true);
    w = q;
    n -= 2;
  }
  if (n === 1) view.setUint8(end - 1, 48 + w);
}

/** Decimal digits of an integer 0 <= v < 2^53 at pos; returns the position after them. */
function writeDigits(view: DataView, pos: number, v: number): number {
  if (v < 1e9) {
    const n = digitCount(v);
    fillDigits(view, pos + n, v | 0, n);
    return pos + n;
  }
  // Below 2^53, v / 1e9 < 2^24 and its rounding error (< 2^-30) is under the 1e-9 gap from
  // the next integer, so floor() is exact; both parts fit int32.
  const h = Math.floor(v / 1e9);
  const l = v - h * 1e9;
  const n = digitCount(h);
  fillDigits(view, pos + n, h, n);
  fillDigits(view, pos + n + 9, l, 9);
  return pos + n + 9;
}

export interface LineWriterOptions {
  /** Size of the buffers lines are written into. */
  bufferBytes?: number;
  /** Released buffers kept for reuse, at most this many bytes. */
  maxSpareBytes?: number;
}

/**
 * Appends lines into slabs of its own and hands them out as chunks. A chunk handed out is never
 * written again until released: the writer goes on after it, or in another slab.
 */
export class LineWriter {
  private readonly bufferBytes: number;
  private readonly maxSpareBytes: number;
  private slab: Slab;
  private pos = 0;
  private n = 0;
  /** First line of the current slab not yet handed out. */
  private from = 0;
  private sealed: LineChunk[] = [];
  private sealedLines = 0;
  private sealedBytes = 0;
  private spare: Slab[] = [];

  constructor(opts: LineWriterOptions = {}) {
    this.bufferBytes = opts.bufferBytes ?? 256 * 1024;
    this.maxSpareBytes = opts.maxSpareBytes ?? 64 * 1024 * 1024;
    this.slab = new Slab(Buffer.allocUnsafe(0));
  }

  /** Lines written and not yet taken. */
  get lines(): number {
    return this.sealedLines + this.n - this.from;
  }

  /** Bytes written and not yet taken. */
  get bytes(): number {
    return this.sealedBytes + this.pos - (this.from === 0 ? 0 : this.slab.ends[this.from - 1]!);
  }

  /**
   * The lines of points `from` .. `to - 1` at a timestamp precision; points line protocol
   * cannot carry (see writable(); all of them for a batch without a valid time) are left out.
   * Stops before a line once more than maxBytes are waiting to be taken. Returns how many
   * lines were written.
   */
  append(batch: PointBatch, precision: InfluxPrecision = 'ms', from = 0, to = batch.length, maxBytes = Infinity): number {
    if (!Number.isFinite(batch.timestamp)) return 0;
    const t = tailWords(batch.timestamp, precision);
    const tWords = t.words;
    const tLen = t.length;
    // The tail's first 16 bytes as four stores (`i 1700000000123\n` is 16): no loop for them.
    const t0 = tWords[0]! | 0;
    const t1 = tWords[1]! | 0;
    const t2 = tWords[2]! | 0;
    const t3 = tWords[3]! | 0;
    const { metrics, tagTexts, hi: his, lo: los } = batch;
    let { buf, view, ends } = this.slab;
    let cap = buf.length;
    let endsCap = ends.length;
    let pos = this.pos;
    let n = this.n;
    let lastMetric = '';
    let k1 = '';
    let k2 = '';
    let m = tail;
    let m1 = tail;
    let m2 = tail;
    let written = 0;
    // Where the previous line's tag text is in this slab, for the next point of the series.
    let lastTags: string | undefined;
    let tagStart = 0;
    let tagEnd = 0;
    // Stop once bytes() (what waited before, plus pos) is above maxBytes.
    let limit = maxBytes - (this.bytes - pos);
    for (let i = from; i < to; i++) {
      if (pos > limit) break;
      const hi = his[i]!;
      const metric = metrics[i]!;
      if (hi >= 0x8000_0000 || metric.length === 0) continue;
      if (metric !== lastMetric) {
        // A rule's metrics alternate (packets, bytes, bits): the three last names are kept
        // here, most recent first, so the map is asked only when a name comes back later.
        const prev = m;
        if (metric === k1) {
          m = m1;
        } else if (metric === k2) {
          m = m2;
          m2 = m1;
          k2 = k1;
        } else {
          m = measurement(metric);
          m2 = m1;
          k2 = k1;
        }
        m1 = prev;
        k1 = lastMetric;
        lastMetric = metric;
      }
      const tags = tagTexts[i]!;
      const need = m.length + tags.length * 3 + LINE_ROOM + tLen;
      if (pos + need > cap || n === endsCap) {
        this.pos = pos;
        this.n = n;
        this.next(need);
        ({ buf, view, ends } = this.slab);
        cap = buf.length;
        endsCap = ends.length;
        pos = 0;
        n = 0;
        limit = maxBytes - this.sealedBytes;
        lastTags = undefined;
      }
      const mWords = m.words;
      for (let k = 0; k < mWords.length; k++) view.setInt32(pos + 4 * k, mWords[k]!, true);
      pos += m.length;
      if (tags === lastTags) {
        buf.copyWithin(pos, tagStart, tagEnd);
        pos += tagEnd - tagStart;
      } else if (tags.length > 0) {
        tagStart = pos;
        pos += buf.utf8Write(tags, pos, cap - pos);
        tagEnd = pos;
        lastTags = tags;
      }
      view.setInt32(pos, VALUE_EQ[0]!, true);
      view.setInt32(pos + 4, VALUE_EQ[1]!, true);
      pos += 7;
      if (hi < TWO_53_HI) pos = writeDigits(view, pos, hi * TWO_32 + los[i]!);
      else pos += buf.latin1Write(batch.value(i).toString(), pos, cap - pos);
      view.setInt32(pos, t0, true);
      view.setInt32(pos + 4, t1, true);
      view.setInt32(pos + 8, t2, true);
      view.setInt32(pos + 12, t3, true);
      for (let k = 4; k < tWords.length; k++) view.setInt32(pos + 4 * k, tWords[k]!, true);
      pos += tLen;
      ends[n++] = pos;
      written++;
    }
    this.pos = pos;
    this.n = n;
    return written;
  }

  /** One line of any text (a newline is added): the JSON format's lines. */
  appendText(text: string): void {
    const need = text.length * 3 + 1;
    if (this.pos + need > this.slab.buf.length || this.n === this.slab.ends.length) this.next(need);
    const { buf, ends } = this.slab;
    this.pos += buf.utf8Write(text, this.pos, buf.length - this.pos);
    buf[this.pos++] = 10;
    ends[this.n++] = this.pos;
  }

  /** Everything written since the last take(), oldest first; the writer then holds none of it. */
  take(): LineChunk[] {
    this.seal();
    const out = this.sealed;
    this.sealed = [];
    this.sealedLines = 0;
    this.sealedBytes = 0;
    return out;
  }

  /** The consumer is done with the chunk's bytes (for good: its slab may be written again). */
  release(c: LineChunk): void {
    if (c.released) return;
    c.released = true;
    this.unref(c.slab);
  }

  /** Forgets what was not taken. */
  clear(): void {
    for (const c of this.take()) this.release(c);
  }

  /** Moves the untaken lines of the current slab to the sealed list. */
  private seal(): void {
    if (this.n === this.from) return;
    const c: LineChunk = { slab: this.slab, first: this.from, end: this.n, released: false };
    this.slab.refs++;
    this.sealed.push(c);
    this.sealedLines += this.n - this.from;
    this.sealedBytes += this.pos - lineStart(c, c.first);
    this.from = this.n;
  }

  /** Leaves the current slab (full) for a spare one or a new one with room for `need` bytes. */
  private next(need: number): void {
    this.seal();
    this.unref(this.slab);
    const spare = need <= this.bufferBytes ? this.spare.pop() : undefined;
    if (spare) spare.refs = 1;
    this.slab = spare ?? new Slab(Buffer.allocUnsafe(Math.max(this.bufferBytes, need)));
    this.pos = 0;
    this.n = 0;
    this.from = 0;
  }

  private unref(s: Slab): void {
    if (--s.refs > 0 || s.buf.length !== this.bufferBytes) return;
    if ((this.spare.length + 1) * this.bufferBytes <= this.maxSpareBytes) this.spare.push(s);
  }
}
