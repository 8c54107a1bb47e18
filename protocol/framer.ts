import { OfDecodeError } from './errors.js';
import { OFP_HEADER_LEN } from './constants.js';

/**
 * Turns arbitrary TCP chunks into whole OpenFlow messages. A length field below 8 means the
 * stream can no longer be trusted to resynchronise: it throws OfDecodeError and the caller
 * drops the connection (messages completed before it are returned first). Memory is bounded: at most one partial message (< 64 KiB) is held.
 */
export class Framer {
  private pending: Buffer | null = null;

  /** Feed a chunk; returns the whole messages it completes, each a Buffer of exactly its length. */
  push(chunk: Buffer): Buffer[] {
    let buf = chunk;
    if (this.pending) {
      buf = Buffer.concat([this.pending, chunk]);
      this.pending = null;
    }
    const out: Buffer[] = [];
    let pos = 0;
    while (buf.length - pos >= OFP_HEADER_LEN) {
      const len = buf.readUInt16BE(pos + 2);
      if (len < OFP_HEADER_LEN) {
        if (out.length > 0) {
          // Hand over the messages completed before the bad header; the next push (or
          // the caller seeing `buffered` at end of stream) meets the bad header again.
          this.pending = Buffer.from(buf.subarray(pos));
          return out;
        }
        const type = buf[pos + 1]!;
        const xid = buf.readUInt32BE(pos + 4);
        this.pending = null;
        throw new OfDecodeError(2, `message length ${len} is below the 8-byte header`, type, xid);
      }
      if (buf.length - pos < len) break;
      out.push(buf.subarray(pos, pos + len));
      pos += len;
    }
    if (pos < buf.length) {
      // Copy so a retained fragment does not pin the whole (possibly large) socket chunk.
      this.pending = Buffer.from(buf.subarray(pos));
    }
    return out;
  }

  /**
   * End of stream: throws the OfDecodeError a held bad header deserves (one that came
   * after messages completed in the same push). Bytes of a merely incomplete message are
   * left for the caller to report through `buffered`.
   */
  end(): void {
    if (this.pending && this.pending.length >= OFP_HEADER_LEN) this.push(Buffer.alloc(0));
  }

  /** Bytes held for a message not yet complete (a stream ending here was cut off). */
  get buffered(): number {
    return this.pending ? this.pending.length : 0;
  }

  reset(): void {
    this.pending = null;
  }
}
