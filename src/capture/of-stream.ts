import { OFP_HEADER_LEN } from '../../protocol/constants.js';

/**
 * Highest ofp_type of each OpenFlow wire version (1.0 ... 1.5; 1.6 drafts as 1.5), used to
 * tell an OpenFlow header from arbitrary bytes.
 */
const MAX_TYPE: readonly number[] = [-1, 21, 23, 25, 29, 35, 35];
/** Highest type byte of any version, for a segment-aligned header whose version is unknown. */
const MAX_ANY_TYPE = 35;

/** What an OpenFlow byte stream yields. `frame` is the frame holding the first byte concerned. */
export interface OfStreamSink {
  message(bytes: Buffer, frame: number): void;
  /** A header whose length field is below 8: it cannot be framed; `bytes` is the header. */
  badLength(bytes: Buffer, frame: number): void;
  /** A message cut off by a gap or by the end of the stream: `bytes` is what arrived of it. */
  truncated(bytes: Buffer, frame: number, cause: 'gap' | 'end'): void;
  /** Bytes passed over while looking for the next header after losing the framing. */
  skipped(count: number, frame: number): void;
}

/**
 * Frames an OpenFlow byte stream whose start is not necessarily a message boundary (a capture
 * can begin mid-connection, a gap can cut a message, a stream may not be OpenFlow at all).
 *
 * Until it is in sync, a position is taken as a message start when either
 *  (a) its header looks like OpenFlow: version 1..6, a type that version defines, length >= 8,
 *      and that length ends exactly where the data seen so far ends or at another such header;
 *  or
 *  (b) it starts a TCP segment and a chain of headers with type <= 35 and length >= 8 covers
 *      that segment exactly, whatever the version byte (so a message with a bad version in a
 *      segment of its own is reported as an error instead of passing unseen).
 * Once in sync, messages follow each other by their length field; only a length below 8
 * (which cannot be framed) loses the sync again. A stream that never syncs yields nothing.
 */
export class OfStream {
  private buf: Buffer = Buffer.alloc(0);
  /** Stream offset of buf[0]. */
  private base = 0;
  /** Chunk starts (stream offsets) with their frames, oldest first; chunks are TCP segments. */
  private chunks: { at: number; end: number; frame: number }[] = [];
  private synced: boolean;
  private everSynced: boolean;
  private total = 0;

  /**
   * @param startSynced raw OpenFlow files start with a header; captures must find one.
   * @param segmentAligned chunks are TCP segments (rule b applies), not arbitrary file reads.
   */
  constructor(
    private readonly sink: OfStreamSink,
    private readonly startSynced: boolean,
    private readonly segmentAligned: boolean,
  ) {
    this.synced = startSynced;
    this.everSynced = startSynced;
  }

  push(bytes: Buffer, frame: number): void {
    if (bytes.length === 0) return;
    this.chunks.push({ at: this.total, end: this.total + bytes.length, frame });
    this.total += bytes.length;
    if (this.synced && this.buf.length >= OFP_HEADER_LEN) {
      // A large message arriving in many small segments: collect them and join once it is
      // whole, instead of copying the growing prefix at every segment.
      this.parts.push(bytes);
      this.partsLen += bytes.length;
      if (this.buf.length + this.partsLen < this.buf.readUInt16BE(2)) return;
      bytes = this.joinParts();
    }
    this.buf = this.buf.length === 0 ? bytes : Buffer.concat([this.buf, bytes]);
    this.run(false);
  }

  private parts: Buffer[] = [];
  private partsLen = 0;

  private joinParts(): Buffer {
    const all = this.parts.length === 1 ? this.parts[0]! : Buffer.concat(this.parts, this.partsLen);
    this.parts = [];
    this.partsLen = 0;
    return all;
  }

  /** Bytes will never arrive before what comes next: drop any partial message and resync. */
  gap(): void {
    this.flush('gap');
    this.synced = false;
  }

  /** The stream ended (end of file, or a new connection on the same addresses). */
  end(): void {
    this.flush('end');
    this.synced = this.startSynced;
  }

  private flush(cause: 'gap' | 'end'): void {
    if (this.partsLen > 0) this.buf = Buffer.concat([this.buf, this.joinParts()]);
    this.run(true);
    if (this.buf.length > 0) {
      if (this.synced) this.sink.truncated(Buffer.from(this.buf), this.frameAt(this.base), cause);
      else {
        this.skipStart(0);
        this.skipCount += this.buf.length;
      }
    }
    this.reportSkipped();
    this.base += this.buf.length;
    this.buf = Buffer.alloc(0);
    this.chunks = [];
  }

  private run(final: boolean): void {
    const buf = this.buf;
    let pos = 0;
    for (;;) {
      if (this.synced) {
        if (buf.length - pos < OFP_HEADER_LEN) break;
        const len = buf.readUInt16BE(pos + 2);
        if (len < OFP_HEADER_LEN) {
          this.sink.badLength(buf.subarray(pos, pos + OFP_HEADER_LEN), this.frameAt(this.base + pos));
          this.synced = false;
          this.skipStart(pos + 1);
          pos += 1;
          continue;
        }
        if (buf.length - pos < len) break;
        this.sink.message(buf.subarray(pos, pos + len), this.frameAt(this.base + pos));
        pos += len;
      } else {
        const found = this.findSync(buf, pos, final);
        this.skipStart(pos);
        this.skipCount += found - pos;
        pos = found;
        if (pos >= buf.length || !this.isSyncedAt) break;
        this.reportSkipped();
        this.synced = true;
        this.everSynced = true;
      }
    }
    this.consume(pos);
  }

  /** Bytes passed over since the framing was lost, reported once the search ends. */
  private skipCount = 0;
  private skipFrame = 0;
  private isSyncedAt = false;

  private skipStart(pos: number): void {
    if (this.skipCount === 0) this.skipFrame = this.frameAt(this.base + pos);
  }

  private reportSkipped(): void {
    // Leading bytes of a stream that was never in sync are not OpenFlow (or a message cut by
    // the capture's start): not worth a report.
    if (this.skipCount > 0 && this.everSynced) this.sink.skipped(this.skipCount, this.skipFrame);
    this.skipCount = 0;
  }

  /**
   * The first position from `from` that starts a message (isSyncedAt = true), or the first
   * one that cannot be decided before more bytes arrive (isSyncedAt = false).
   */
  private findSync(buf: Buffer, from: number, final: boolean): number {
    for (let p = from; p < buf.length; p++) {
      const v = this.candidate(buf, p, final);
      if (v === 'no') continue;
      this.isSyncedAt = v === 'yes';
      return p;
    }
    this.isSyncedAt = false;
    return buf.length;
  }

  private candidate(buf: Buffer, p: number, final: boolean): 'yes' | 'no' | 'wait' {
    if (this.segmentAligned && this.segmentAligns(buf, p)) return 'yes';
    if (buf.length - p < OFP_HEADER_LEN) return final ? 'no' : 'wait';
    if (!strongHeader(buf, p)) return 'no';
    const next = p + buf.readUInt16BE(p + 2);
    if (next === buf.length) return 'yes';
    if (next > buf.length || buf.length - next < OFP_HEADER_LEN) return final ? 'no' : 'wait';
    return strongHeader(buf, next) ? 'yes' : 'no';
  }

  /** Rule (b): p starts a segment that a chain of headers covers exactly. */
  private segmentAligns(buf: Buffer, p: number): boolean {
    const at = this.base + p;
    const c = this.chunks.find((x) => x.at === at);
    if (!c) return false;
    const end = c.end - this.base;
    let q = p;
    while (end - q >= OFP_HEADER_LEN) {
      const len = buf.readUInt16BE(q + 2);
      if (len < OFP_HEADER_LEN || buf[q + 1]! > MAX_ANY_TYPE) return false;
      q += len;
    }
    return q === end;
  }

  private consume(pos: number): void {
    if (pos === 0) return;
    // Copy the remainder so a partial message does not pin a large chunk.
    this.buf = pos >= this.buf.length ? Buffer.alloc(0) : Buffer.from(this.buf.subarray(pos));
    this.base += pos;
    let i = 0;
    while (i < this.chunks.length - 1 && this.chunks[i]!.end <= this.base) i++;
    if (i > 0) this.chunks.splice(0, i);
  }

  private frameAt(offset: number): number {
    // Chunks are few (those overlapping the unconsumed bytes): a linear search is enough.
    for (let i = this.chunks.length - 1; i >= 0; i--) {
      if (this.chunks[i]!.at <= offset) return this.chunks[i]!.frame;
    }
    return this.chunks[0]?.frame ?? 0;
  }
}

function strongHeader(buf: Buffer, p: number): boolean {
  const version = buf[p]!;
  return version >= 1 && version <= 6 && buf[p + 1]! <= MAX_TYPE[version]! && buf.readUInt16BE(p + 2) >= OFP_HEADER_LEN;
}
