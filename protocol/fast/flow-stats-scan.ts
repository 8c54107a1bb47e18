import { OfDecodeError } from '../errors.js';
import { OFP_HEADER_LEN, OFP_VERSION, OFPT, OFPMP } from '../constants.js';
import { FlowStatsColumns } from './flow-stats-columns.js';

/**
 * The poller's lean path over a MULTIPART_REPLY FLOW body: per ofp_flow_stats entry it appends
 * to a FlowStatsColumns only what the metrics need (table, priority, cookie, counters, in_port,
 * first output port), without building match, instruction or action objects and without one
 * bigint or object per entry: 64-bit fields are read as two uint32 halves.
 *
 * Every length it walks is checked with the full decoder's rules (entry, match, instruction and
 * action lengths, METER instruction and OUTPUT / GROUP action sizes; OfDecodeError with the
 * offset from the message start), so it is as safe to feed untrusted bytes. It does not
 * validate what it skips (OXM payload sizes other than IN_PORT's, set-field contents): whatever
 * the full decoder accepts, this accepts too. A body that fails leaves the columns as they were.
 */

// Sizes from OpenFlow 1.3.5: ofp_flow_stats up to its match is 48 bytes, ofp_match is at least 8.
const FLOW_STATS_FIXED = 48;
const FLOW_STATS_MIN = FLOW_STATS_FIXED + 8;
const MULTIPART_HEADER = OFP_HEADER_LEN + 8;
const OFPMT_OXM = 1;
const OXM_IN_PORT = 0x80000004; // class OPENFLOW_BASIC, field IN_PORT, no mask, length 4
const OFPIT_WRITE_ACTIONS = 3;
const OFPIT_APPLY_ACTIONS = 4;
const OFPIT_METER = 6;
const OFPAT_OUTPUT = 0;
const OFPAT_GROUP = 22;
/** scanActions' answer when the list has no OUTPUT action (ports are below 2^32). */
const NO_OUTPUT = -1;

/**
 * Scan a whole MULTIPART_REPLY FLOW message starting at `start` in `buf`, appending its entries
 * to `into`. Returns the number appended. The header (version, type, length, multipart type)
 * is checked first.
 */
export function scanFlowStatsMessage(buf: Buffer, into: FlowStatsColumns, start = 0): number {
  const avail = buf.length - start;
  if (avail < OFP_HEADER_LEN) throw new OfDecodeError(0, `truncated header: need 8 bytes, ${avail} left`);
  const type = buf[start + 1]!;
  const xid = buf.readUInt32BE(start + 4);
  const len = buf.readUInt16BE(start + 2);
  const fail = (at: number, reason: string): never => {
    throw new OfDecodeError(at, reason, type === OFPT.MULTIPART_REPLY ? 'MULTIPART_REPLY' : type, xid);
  };
  if (buf[start] !== OFP_VERSION) fail(0, `unsupported OpenFlow version 0x${buf[start]!.toString(16).padStart(2, '0')}`);
  if (type !== OFPT.MULTIPART_REPLY) fail(1, `message type ${type} is not MULTIPART_REPLY`);
  if (len < MULTIPART_HEADER) fail(2, `message length ${len} is below the 16-byte multipart header`);
  if (len > avail) fail(2, `message length ${len} exceeds the ${avail} bytes available`);
  const mpType = buf.readUInt16BE(start + OFP_HEADER_LEN);
  if (mpType !== OFPMP.FLOW) fail(OFP_HEADER_LEN, `multipart type ${mpType} is not FLOW`);
  try {
    return scanFlowStatsBody(buf, into, start + MULTIPART_HEADER, start + len, start);
  } catch (e) {
    if (e instanceof OfDecodeError) throw e.withMessage('MULTIPART_REPLY', xid);
    throw e;
  }
}

/**
 * Scan the ofp_flow_stats array in buf[start, end) into `into`. `base` is where the message
 * starts, so error offsets match the full decoder's; for a bare body pass base = start.
 */
export function scanFlowStatsBody(
  buf: Buffer,
  into: FlowStatsColumns,
  start = 0,
  end = buf.length,
  base = start,
): number {
  if (start < 0 || end > buf.length || start > end) {
    throw new OfDecodeError(0, `flow stats body [${start}, ${end}) is outside the ${buf.length}-byte buffer`);
  }
  const first = into.length;
  try {
    walk(buf, into, start, end, base);
  } catch (e) {
    into.truncate(first);
    throw e;
  }
  return into.length - first;
}

function walk(buf: Buffer, c: FlowStatsColumns, start: number, end: number, base: number): void {
  const fail = (at: number, reason: string): never => {
    throw new OfDecodeError(at - base, reason);
  };
  // DataView's big-endian reads measured faster here than assembling bytes (bench/codec.ts).
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  // The arrays are held in locals for the loop and reloaded when reserve() replaces them.
  let n = c.length;
  let cap = c.capacity;
  let { tableId, priority, cookieHi, cookieLo, packetsHi, packetsLo, bytesHi, bytesLo, inPort, outPort } = c;
  let p = start;
  while (p < end) {
    if (end - p < 2) fail(p, `truncated flow stats entry: need 2 bytes, ${end - p} left`);
    const len = dv.getUint16(p);
    if (len < FLOW_STATS_MIN) fail(p, `flow stats entry length ${len} is below ${FLOW_STATS_MIN}`);
    if (len > end - p) fail(p, `flow stats entry length ${len} runs past its parent (${end - p} bytes left)`);
    const entryEnd = p + len;

    // ofp_match: its length excludes the padding to 8 that follows it.
    const m = p + FLOW_STATS_FIXED;
    const mType = dv.getUint16(m);
    const mLen = dv.getUint16(m + 2);
    if (mType !== OFPMT_OXM) fail(m, `match type ${mType} is not OXM`);
    if (mLen < 4) fail(m + 2, `match length ${mLen} is below 4`);
    const mPadded = (mLen + 7) & ~7;
    if (mPadded > entryEnd - m) fail(m + 2, `match length ${mLen} runs past its parent (${entryEnd - m} bytes left)`);
    // A found flag, not the 0 that stands for "none": the first IN_PORT wins even if it is 0.
    let inFound = false;
    let inP = 0;
    const mEnd = m + mLen;
    let q = m + 4;
    while (q < mEnd) {
      if (mEnd - q < 4) fail(q, `truncated OXM header: need 4 bytes, ${mEnd - q} left`);
      const oxmLen = buf[q + 3]!;
      if (oxmLen > mEnd - q - 4) fail(q + 3, `OXM length ${oxmLen} runs past its parent (${mEnd - q - 4} bytes left)`);
      if (!inFound && dv.getUint32(q) === OXM_IN_PORT) {
        inFound = true;
        inP = dv.getUint32(q + 4);
      }
      q += 4 + oxmLen;
    }

    // Apply-actions run before write-actions whatever their order in the list (§5.9), so an
    // APPLY output wins over a WRITE one, as the metrics read the full decoding (outPortOf).
    let applyOut = NO_OUTPUT;
    let writeOut = NO_OUTPUT;
    let i = m + mPadded;
    while (i < entryEnd) {
      if (entryEnd - i < 4) fail(i, `truncated instruction header: need 4 bytes, ${entryEnd - i} left`);
      const iType = dv.getUint16(i);
      const iLen = dv.getUint16(i + 2);
      if (iLen < 8 || (iLen & 7) !== 0) fail(i + 2, `instruction length ${iLen} is not a multiple of 8 of at least 8`);
      if (iLen > entryEnd - i) fail(i + 2, `instruction length ${iLen} runs past its parent (${entryEnd - i} bytes left)`);
      if (iType === OFPIT_APPLY_ACTIONS) {
        const o = scanActions(dv, i + 8, i + iLen, fail);
        if (applyOut === NO_OUTPUT) applyOut = o;
      } else if (iType === OFPIT_WRITE_ACTIONS) {
        const o = scanActions(dv, i + 8, i + iLen, fail);
        if (writeOut === NO_OUTPUT) writeOut = o;
      } else if (iType === OFPIT_METER) {
        if (iLen !== 8) fail(i + 2, `METER instruction length ${iLen} is not 8`);
      }
      i += iLen;
    }
    const out = applyOut !== NO_OUTPUT ? applyOut : writeOut !== NO_OUTPUT ? writeOut : 0;

    if (n === cap) {
      c.length = n;
      c.reserve(1);
      cap = c.capacity;
      ({ tableId, priority, cookieHi, cookieLo, packetsHi, packetsLo, bytesHi, bytesLo, inPort, outPort } = c);
    }
    tableId[n] = buf[p + 2]!;
    priority[n] = dv.getUint16(p + 12);
    cookieHi[n] = dv.getUint32(p + 24);
    cookieLo[n] = dv.getUint32(p + 28);
    packetsHi[n] = dv.getUint32(p + 32);
    packetsLo[n] = dv.getUint32(p + 36);
    bytesHi[n] = dv.getUint32(p + 40);
    bytesLo[n] = dv.getUint32(p + 44);
    inPort[n] = inP;
    outPort[n] = out;
    n++;
    p = entryEnd;
  }
  c.length = n;
}

/** Checks an action list's lengths; the port of its first OUTPUT action, or NO_OUTPUT. */
function scanActions(dv: DataView, start: number, end: number, fail: (at: number, reason: string) => never): number {
  let out = NO_OUTPUT;
  let a = start;
  while (a < end) {
    if (end - a < 4) fail(a, `truncated action header: need 4 bytes, ${end - a} left`);
    const aType = dv.getUint16(a);
    const aLen = dv.getUint16(a + 2);
    if (aLen < 8 || (aLen & 7) !== 0) fail(a + 2, `action length ${aLen} is not a multiple of 8 of at least 8`);
    if (aLen > end - a) fail(a + 2, `action length ${aLen} runs past its parent (${end - a} bytes left)`);
    if (aType === OFPAT_OUTPUT) {
      if (aLen !== 16) fail(a + 2, `OUTPUT action length ${aLen} is not 16`);
      if (out === NO_OUTPUT) out = dv.getUint32(a + 4);
    } else if (aType === OFPAT_GROUP) {
      if (aLen !== 8) fail(a + 2, `GROUP action length ${aLen} is not 8`);
    }
    a += aLen;
  }
  return out;
}

/** One entry of the columns as a plain object: the form tests compare with the full decoder's. */
export interface FlowStatsLean {
  table_id: number;
  priority: number;
  cookie: bigint;
  packet_count: bigint;
  byte_count: bigint;
  /** OXM IN_PORT of the match; 0 when it has none. */
  in_port: number;
  /** First OUTPUT port of APPLY_ACTIONS, else of WRITE_ACTIONS; 0 when none. */
  out_port: number;
}

/** The columns' entries as plain objects with bigints (tests and fuzzing; not the hot path). */
export function flowStatsObjects(c: FlowStatsColumns): FlowStatsLean[] {
  const out: FlowStatsLean[] = [];
  for (let i = 0; i < c.length; i++) {
    out.push({
      table_id: c.tableId[i]!, priority: c.priority[i]!, cookie: c.cookie(i), packet_count: c.packets(i),
      byte_count: c.bytes(i), in_port: c.inPort[i]!, out_port: c.outPort[i]!,
    });
  }
  return out;
}

/** Scan one whole message into fresh columns and give them as plain objects. */
export function leanFlowStats(message: Buffer, start = 0): FlowStatsLean[] {
  const c = new FlowStatsColumns(16);
  scanFlowStatsMessage(message, c, start);
  return flowStatsObjects(c);
}
