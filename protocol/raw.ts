/**
 * Zero-copy access to the few fields the runtime needs from a whole message without decoding
 * it: its header, multipart type and flags, an ERROR's type and code, a FEATURES_REPLY's
 * datapath id; and the patches a replayed or forwarded message needs (xid, datapath id, the
 * REPLY_MORE flag). Byte offsets stay here, in the codec: code outside protocol/ names what it
 * wants. Every helper checks its bounds and throws OfDecodeError, never RangeError.
 */
import { OfDecodeError } from './errors.js';
import { OFP_HEADER_LEN, OFP_VERSION, OFPMPF_REPLY_MORE, OFPT, OFPT_NAMES } from './constants.js';
import { readHeader, type Header } from './header.js';
import { OFPET_EXPERIMENTER } from './messages/error/codes.js';

/** ofp_multipart_request / ofp_multipart_reply up to the body: ofp_header, type, flags, pad[4]. */
export const MULTIPART_HEADER_LEN = OFP_HEADER_LEN + 8;

// Field offsets from the start of the message (OpenFlow 1.3.5 §7.1, §7.3.1, §7.3.5, §7.4.4).
const XID_AT = 4;
const MP_TYPE_AT = 8;
const MP_FLAGS_AT = 10;
const DPID_AT = 8;
const ERROR_TYPE_AT = 8;
const ERROR_CODE_AT = 10;
/** ofp_switch_features is 32 bytes; ofp_error_msg 12 before its data, 16 for the experimenter form. */
export const FEATURES_REPLY_LEN = 32;
const ERROR_DATA_AT = 12;
const OFPET_HELLO_FAILED = 0;

/** Version, type, length and xid of a message, its body left undecoded. */
export function peekHeader(msg: Buffer): Header {
  return readHeader(msg, 0);
}

/** The message type (OFPT_*): peekHeader's `type` without building a header object, for per-message dispatch. */
export function messageTypeOf(msg: Buffer): number {
  if (msg.length < OFP_HEADER_LEN) throw new OfDecodeError(0, `truncated header: need 8 bytes, ${msg.length} left`);
  return msg[1]!;
}

/**
 * The header fields whose bytes are present in a possibly cut-off message (a stream's last
 * bytes, a header whose length field cannot be framed): for error reports. Never throws.
 */
export function partialHeader(bytes: Buffer): Partial<Header> {
  const out: Partial<Header> = {};
  if (bytes.length >= 1) out.version = bytes[0]!;
  if (bytes.length >= 2) out.type = bytes[1]!;
  if (bytes.length >= 4) out.length = bytes.readUInt16BE(2);
  if (bytes.length >= OFP_HEADER_LEN) out.xid = bytes.readUInt32BE(XID_AT);
  return out;
}

/**
 * Throws unless `msg` is an OpenFlow 1.3 message of type `t1` or `t2` with at least `min`
 * bytes. The check is inline and allocation-free: replay runs it for every request it serves.
 */
function expect(msg: Buffer, t1: number, t2: number, min: number, what: string): void {
  if (msg.length >= min && msg[0] === OFP_VERSION && (msg[1] === t1 || msg[1] === t2)) return;
  refuse(msg, t1, t2, min, what);
}

/** Why `expect` refused (`min` is never below the header's 8 bytes). */
function refuse(msg: Buffer, t1: number, t2: number, min: number, what: string): never {
  if (msg.length < OFP_HEADER_LEN) {
    throw new OfDecodeError(0, `truncated header: need 8 bytes, ${msg.length} left`);
  }
  const type = msg[1]!;
  const name = OFPT_NAMES.get(type) ?? type;
  const xid = msg.readUInt32BE(XID_AT);
  // Body layouts differ between versions (type 18 is BARRIER_REQUEST in OpenFlow 1.0).
  if (msg[0] !== OFP_VERSION) {
    throw new OfDecodeError(0, `unsupported OpenFlow version 0x${msg[0]!.toString(16).padStart(2, '0')}`, name, xid);
  }
  if (type !== t1 && type !== t2) throw new OfDecodeError(1, `${what} expected`, name, xid);
  throw new OfDecodeError(msg.length, `truncated ${what}: need ${min} bytes, ${msg.length} present`, name, xid);
}

function expectHeader(msg: Buffer): void {
  if (msg.length < OFP_HEADER_LEN) throw new OfDecodeError(0, `truncated header: need 8 bytes, ${msg.length} left`);
}

/** Sets the xid of a message the caller owns (a fresh copy or encoding), in place. */
export function setXid(msg: Buffer, xid: number): void {
  expectHeader(msg);
  msg.writeUInt32BE(xid >>> 0, XID_AT);
}

/** A copy of `msg` carrying `xid`; `msg` is left as it is. */
export function withXid(msg: Buffer, xid: number): Buffer {
  expectHeader(msg);
  const out = Buffer.from(msg);
  out.writeUInt32BE(xid >>> 0, XID_AT);
  return out;
}

/**
 * A fresh 8-byte header of `msg` carrying `xid`. Sent followed by `bodyOf(msg)`, it answers
 * with shared cached bytes while copying only 8 of them.
 */
export function headerWithXid(msg: Buffer, xid: number): Buffer {
  expectHeader(msg);
  const head = Buffer.allocUnsafe(OFP_HEADER_LEN);
  msg.copy(head, 0, 0, OFP_HEADER_LEN);
  head.writeUInt32BE(xid >>> 0, XID_AT);
  return head;
}

/** The bytes after the header (a view, not a copy). */
export function bodyOf(msg: Buffer): Buffer {
  expectHeader(msg);
  return msg.subarray(OFP_HEADER_LEN);
}

/** Whether `msg` is an OpenFlow 1.3 MULTIPART_REQUEST or _REPLY long enough to carry its multipart header. */
export function isMultipart(msg: Buffer): boolean {
  return msg.length >= MULTIPART_HEADER_LEN && msg[0] === OFP_VERSION && (msg[1] === OFPT.MULTIPART_REQUEST || msg[1] === OFPT.MULTIPART_REPLY);
}

/** ofp_multipart_type (OFPMP_*) of a MULTIPART_REQUEST or MULTIPART_REPLY. */
export function multipartTypeOf(msg: Buffer): number {
  expect(msg, OFPT.MULTIPART_REQUEST, OFPT.MULTIPART_REPLY, MULTIPART_HEADER_LEN, 'multipart message');
  return msg.readUInt16BE(MP_TYPE_AT);
}

/** The multipart flags (OFPMPF_REQ_MORE / OFPMPF_REPLY_MORE) of a MULTIPART_REQUEST or MULTIPART_REPLY. */
export function multipartFlagsOf(msg: Buffer): number {
  expect(msg, OFPT.MULTIPART_REQUEST, OFPT.MULTIPART_REPLY, MULTIPART_HEADER_LEN, 'multipart message');
  return msg.readUInt16BE(MP_FLAGS_AT);
}

/** Whether more parts of this multipart request or reply follow (REQ_MORE / REPLY_MORE, the same bit). */
export function hasMoreParts(msg: Buffer): boolean {
  return (multipartFlagsOf(msg) & OFPMPF_REPLY_MORE) !== 0;
}

/** The body of a multipart message after its multipart header (a view, not a copy). */
export function multipartBodyOf(msg: Buffer): Buffer {
  expect(msg, OFPT.MULTIPART_REQUEST, OFPT.MULTIPART_REPLY, MULTIPART_HEADER_LEN, 'multipart message');
  return msg.subarray(MULTIPART_HEADER_LEN);
}

/** A copy of a MULTIPART_REPLY with REPLY_MORE cleared: the last part of a reply. */
export function withoutReplyMore(reply: Buffer): Buffer {
  expect(reply, OFPT.MULTIPART_REPLY, OFPT.MULTIPART_REPLY, MULTIPART_HEADER_LEN, 'MULTIPART_REPLY');
  const out = Buffer.from(reply);
  out.writeUInt16BE(out.readUInt16BE(MP_FLAGS_AT) & ~OFPMPF_REPLY_MORE, MP_FLAGS_AT);
  return out;
}

/** The datapath id of a FEATURES_REPLY. */
export function datapathIdOf(featuresReply: Buffer): bigint {
  expect(featuresReply, OFPT.FEATURES_REPLY, OFPT.FEATURES_REPLY, FEATURES_REPLY_LEN, 'FEATURES_REPLY');
  return featuresReply.readBigUInt64BE(DPID_AT);
}

/** A copy of a FEATURES_REPLY announcing another datapath id, every other byte as it was. */
export function withDatapathId(featuresReply: Buffer, dpid: bigint): Buffer {
  expect(featuresReply, OFPT.FEATURES_REPLY, OFPT.FEATURES_REPLY, FEATURES_REPLY_LEN, 'FEATURES_REPLY');
  const out = Buffer.from(featuresReply);
  out.writeBigUInt64BE(BigInt.asUintN(64, dpid), DPID_AT);
  return out;
}

/**
 * An ERROR's type and code. For an experimenter error (type 0xffff) `code` is its exp_type,
 * the field in the same place.
 */
export function errorTypeCodeOf(err: Buffer): { error_type: number; code: number } {
  expect(err, OFPT.ERROR, OFPT.ERROR, ERROR_DATA_AT, 'ERROR');
  return { error_type: err.readUInt16BE(ERROR_TYPE_AT), code: err.readUInt16BE(ERROR_CODE_AT) };
}

/**
 * The failed request an ERROR quotes in its data (§7.4.4: at least its first 64 bytes), when
 * the quote holds the whole OpenFlow 1.3 request; undefined when it is cut short, or when the
 * data is not a request (HELLO_FAILED's text, an experimenter error's own data).
 */
export function quotedRequestOf(err: Buffer): Buffer | undefined {
  const { error_type } = errorTypeCodeOf(err);
  if (error_type === OFPET_HELLO_FAILED || error_type === OFPET_EXPERIMENTER) return undefined;
  const data = err.subarray(ERROR_DATA_AT);
  if (data.length < OFP_HEADER_LEN || data[0] !== OFP_VERSION) return undefined;
  const len = data.readUInt16BE(2);
  if (len < OFP_HEADER_LEN || len > data.length) return undefined;
  return data.subarray(0, len);
}
