import { OfDecodeError } from './errors.js';
import { OFP_HEADER_LEN } from './constants.js';

/** ofp_header. */
export interface Header {
  version: number;
  type: number;
  length: number;
  xid: number;
}

/** Read the header at `at`; the caller has already checked 8 bytes are there. */
export function readHeader(buf: Buffer, at = 0): Header {
  if (buf.length - at < OFP_HEADER_LEN) {
    throw new OfDecodeError(0, `truncated header: need 8 bytes, ${buf.length - at} left`);
  }
  return {
    version: buf[at]!,
    type: buf[at + 1]!,
    length: buf.readUInt16BE(at + 2),
    xid: buf.readUInt32BE(at + 4),
  };
}
