/**
 * The one error the codec throws for bad input. Everything that can go wrong while reading
 * bytes (truncation, a length that does not add up, a TLV running past its parent, an
 * unknown version) ends here, so callers need exactly one catch and get enough context to log.
 */
export class OfDecodeError extends Error {
  override readonly name = 'OfDecodeError';
  /** Message type name (e.g. `MULTIPART_REPLY`) or the number when unknown; undefined before the header is read. */
  msgType: string | number | undefined;
  xid: number | undefined;
  /** Byte offset from the start of the message (or of the fragment being decoded). */
  offset: number;
  reason: string;

  constructor(offset: number, reason: string, msgType?: string | number, xid?: number, options?: { cause?: unknown }) {
    super('', options);
    this.offset = offset;
    this.reason = reason;
    this.msgType = msgType;
    this.xid = xid;
    this.message = this.describe();
  }

  /** Attach the message context once the top-level decoder knows it. */
  withMessage(msgType: string | number, xid: number): this {
    if (this.msgType === undefined) this.msgType = msgType;
    if (this.xid === undefined) this.xid = xid;
    this.message = this.describe();
    return this;
  }

  private describe(): string {
    const ctx = this.msgType === undefined ? '' : ` in ${String(this.msgType)}${this.xid === undefined ? '' : ` xid=${this.xid}`}`;
    return `${this.reason} at offset ${this.offset}${ctx}`;
  }
}

/** Thrown when asked to encode something the codec deliberately cannot build (state-changing messages). */
export class OfEncodeError extends Error {
  override readonly name = 'OfEncodeError';
}
