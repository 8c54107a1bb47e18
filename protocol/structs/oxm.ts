/**
 * OXM TLVs (OpenFlow 1.3.5 §7.2.3): the match fields, set-field payloads and table-feature
 * OXM ids.
 *
 * Decoded shapes (`class` tells them apart):
 * - `{ class: 'OPENFLOW_BASIC', field: 'eth_dst', value: 'aa:bb:cc:dd:ee:ff', mask?: ... }`
 *   for every field of class 0x8000 the table below knows. `field` is the lower-case name
 *   ovs/ryu use; `value` and `mask` share a type per field: MAC as colon text, IPv4 dotted,
 *   IPv6 RFC 5952 text, `metadata`/`tunnel_id` bigint, everything else number. `mask` is
 *   present exactly when the TLV has its hasmask bit set.
 * - `{ class: 'EXPERIMENTER', field: number, hasmask, experimenter, data }` for class 0xFFFF;
 *   `data` is what follows the experimenter id (value and mask, if any, undivided).
 * - `{ class: number, field: number, hasmask, data }` for anything else: other classes (OVS's
 *   NXM_OF 0x0000 and NXM_NX 0x0001, BSN's 0x0003...) and class 0x8000 field numbers this
 *   table does not know. `data` is the whole payload.
 * The opaque shapes re-encode to the very bytes they came from.
 *
 * A known basic field whose length does not fit its width is malformed (the spec fixes the
 * width) and gives OfDecodeError rather than a silently reinterpreted value.
 */
import { OfEncodeError } from '../errors.js';
import type { Reader } from '../wire/reader.js';
import type { Writer } from '../wire/writer.js';

export const OFPXMC_OPENFLOW_BASIC = 0x8000;
export const OFPXMC_EXPERIMENTER = 0xffff;

/** Value encodings; the number is the wire width in bytes, except the text kinds. */
const U8 = 0, U16 = 1, U24 = 2, U32 = 3, U64 = 4, MAC = 5, IPV4 = 6, IPV6 = 7;
const WIDTH = [1, 2, 3, 4, 8, 6, 4, 16] as const;
type KindCode = typeof U8 | typeof U16 | typeof U24 | typeof U32 | typeof U64 | typeof MAC | typeof IPV4 | typeof IPV6;

interface KindValue {
  0: number; 1: number; 2: number; 3: number; 4: bigint; 5: string; 6: string; 7: string;
}

/**
 * The one table of basic fields: [name, OFPXMT_OFB_* code, value kind]. Codes 0..39 are
 * OpenFlow 1.3's; 41..44 are the same class's later additions (1.4/1.5), which 1.3 peers
 * such as OVS and Ryu already put on the wire.
 */
const BASIC_FIELDS = [
  ['in_port', 0, U32],
  ['in_phy_port', 1, U32],
  ['metadata', 2, U64],
  ['eth_dst', 3, MAC],
  ['eth_src', 4, MAC],
  ['eth_type', 5, U16],
  ['vlan_vid', 6, U16],
  ['vlan_pcp', 7, U8],
  ['ip_dscp', 8, U8],
  ['ip_ecn', 9, U8],
  ['ip_proto', 10, U8],
  ['ipv4_src', 11, IPV4],
  ['ipv4_dst', 12, IPV4],
  ['tcp_src', 13, U16],
  ['tcp_dst', 14, U16],
  ['udp_src', 15, U16],
  ['udp_dst', 16, U16],
  ['sctp_src', 17, U16],
  ['sctp_dst', 18, U16],
  ['icmpv4_type', 19, U8],
  ['icmpv4_code', 20, U8],
  ['arp_op', 21, U16],
  ['arp_spa', 22, IPV4],
  ['arp_tpa', 23, IPV4],
  ['arp_sha', 24, MAC],
  ['arp_tha', 25, MAC],
  ['ipv6_src', 26, IPV6],
  ['ipv6_dst', 27, IPV6],
  ['ipv6_flabel', 28, U32],
  ['icmpv6_type', 29, U8],
  ['icmpv6_code', 30, U8],
  ['ipv6_nd_target', 31, IPV6],
  ['ipv6_nd_sll', 32, MAC],
  ['ipv6_nd_tll', 33, MAC],
  ['mpls_label', 34, U32],
  ['mpls_tc', 35, U8],
  ['mpls_bos', 36, U8],
  ['pbb_isid', 37, U24],
  ['tunnel_id', 38, U64],
  ['ipv6_exthdr', 39, U16],
  ['pbb_uca', 41, U8],
  ['tcp_flags', 42, U16],
  ['actset_output', 43, U32],
  ['packet_type', 44, U32],
] as const;

type Row = (typeof BASIC_FIELDS)[number];
export type OxmBasicName = Row[0];
type ValueOf<N extends OxmBasicName> = KindValue[Extract<Row, readonly [N, number, number]>[2]];

export type OxmBasicField = {
  [N in OxmBasicName]: { class: 'OPENFLOW_BASIC'; field: N; value: ValueOf<N>; mask?: ValueOf<N> };
}[OxmBasicName];

export interface OxmExperimenterField {
  class: 'EXPERIMENTER';
  field: number;
  hasmask: boolean;
  experimenter: number;
  data: Buffer;
}

export interface OxmOpaqueField {
  class: number;
  field: number;
  hasmask: boolean;
  data: Buffer;
}

export type OxmField = OxmBasicField | OxmExperimenterField | OxmOpaqueField;

interface Spec {
  readonly name: OxmBasicName;
  readonly code: number;
  readonly kind: KindCode;
  readonly width: number;
}

const BY_CODE: (Spec | undefined)[] = new Array(128).fill(undefined);
const BY_NAME = new Map<string, Spec>();
for (const [name, code, kind] of BASIC_FIELDS) {
  const spec: Spec = { name, code, kind, width: WIDTH[kind] };
  BY_CODE[code] = spec;
  BY_NAME.set(name, spec);
}

/** Name of a basic field code (OFPXMT_OFB_*), undefined when unknown. */
export function oxmBasicName(code: number): OxmBasicName | undefined {
  return BY_CODE[code]?.name;
}

/** OFPXMT_OFB_* code of a basic field name, undefined when unknown. */
export function oxmBasicCode(name: string): number | undefined {
  return BY_NAME.get(name)?.code;
}

/** Value width in bytes of a basic field (the mask doubles it). */
export function oxmBasicWidth(name: string): number | undefined {
  return BY_NAME.get(name)?.width;
}

// ---- value text: lookup tables so the hot path does no per-byte formatting -------------

const HEX2: string[] = [];
const DEC: string[] = [];
for (let i = 0; i < 256; i++) {
  HEX2.push(i.toString(16).padStart(2, '0'));
  DEC.push(String(i));
}

function macText(b: Buffer, p: number): string {
  return HEX2[b[p]!] + ':' + HEX2[b[p + 1]!] + ':' + HEX2[b[p + 2]!] + ':' + HEX2[b[p + 3]!] + ':' +
    HEX2[b[p + 4]!] + ':' + HEX2[b[p + 5]!];
}

function ipv4Text(b: Buffer, p: number): string {
  return DEC[b[p]!] + '.' + DEC[b[p + 1]!] + '.' + DEC[b[p + 2]!] + '.' + DEC[b[p + 3]!];
}

/** RFC 5952: lower case, no leading zeros, the longest (leftmost) run of 2+ zero groups as `::`. */
export function ipv6Text(b: Uint8Array, p = 0): string {
  let bestAt = -1, bestLen = 1, runAt = -1;
  for (let i = 0; i < 8; i++) {
    const zero = b[p + 2 * i] === 0 && b[p + 2 * i + 1] === 0;
    if (zero) {
      if (runAt < 0) runAt = i;
      if (i - runAt + 1 > bestLen) { bestAt = runAt; bestLen = i - runAt + 1; }
    } else runAt = -1;
  }
  // §5: IPv4-mapped addresses keep their IPv4 tail in dotted form.
  if (bestAt === 0 && bestLen === 5 && b[p + 10] === 0xff && b[p + 11] === 0xff) {
    return '::ffff:' + DEC[b[p + 12]!] + '.' + DEC[b[p + 13]!] + '.' + DEC[b[p + 14]!] + '.' + DEC[b[p + 15]!];
  }
  let s = '';
  for (let i = 0; i < 8; i++) {
    if (i === bestAt) {
      s += i === 0 ? '::' : ':';
      i += bestLen - 1;
      continue;
    }
    s += ((b[p + 2 * i]! << 8) | b[p + 2 * i + 1]!).toString(16);
    if (i < 7) s += ':';
  }
  return s;
}

function readValue(b: Buffer, p: number, kind: KindCode): number | bigint | string {
  switch (kind) {
    case U8: return b[p]!;
    case U16: return (b[p]! << 8) | b[p + 1]!;
    case U24: return (b[p]! << 16) | (b[p + 1]! << 8) | b[p + 2]!;
    case U32: return b[p]! * 0x1000000 + ((b[p + 1]! << 16) | (b[p + 2]! << 8) | b[p + 3]!);
    case U64: return b.readBigUInt64BE(p);
    case MAC: return macText(b, p);
    case IPV4: return ipv4Text(b, p);
    default: return ipv6Text(b, p);
  }
}

// ---- decode -----------------------------------------------------------------------------

/** Decode the OXM TLV at the reader's position and move past it. */
export function decodeOxm(r: Reader): OxmField {
  const b = r.buf;
  const p = r.pos;
  if (p + 4 > r.end) r.need(4, 'OXM header');
  const cls = (b[p]! << 8) | b[p + 1]!;
  const fh = b[p + 2]!;
  const len = b[p + 3]!;
  const start = p + 4;
  const end = start + len;
  if (end > r.end) r.fail(`OXM length ${len} runs past its parent (${r.end - start} bytes left)`, p);
  r.pos = end;
  const field = fh >>> 1;
  const hasmask = (fh & 1) === 1;
  if (cls === OFPXMC_OPENFLOW_BASIC) {
    const spec = BY_CODE[field];
    if (spec !== undefined) {
      const w = spec.width;
      if (len !== (hasmask ? w + w : w)) {
        r.fail(`OXM ${spec.name}${hasmask ? ' (masked)' : ''} length ${len}, expected ${hasmask ? w + w : w}`, p);
      }
      const value = readValue(b, start, spec.kind);
      if (!hasmask) return { class: 'OPENFLOW_BASIC', field: spec.name, value } as OxmBasicField;
      return { class: 'OPENFLOW_BASIC', field: spec.name, value, mask: readValue(b, start + w, spec.kind) } as OxmBasicField;
    }
  } else if (cls === OFPXMC_EXPERIMENTER) {
    if (len < 4) r.fail(`experimenter OXM length ${len} is below its 4-byte experimenter id`, p);
    const experimenter = b[start]! * 0x1000000 + ((b[start + 1]! << 16) | (b[start + 2]! << 8) | b[start + 3]!);
    return { class: 'EXPERIMENTER', field, hasmask, experimenter, data: b.subarray(start + 4, end) };
  }
  return { class: cls, field, hasmask, data: b.subarray(start, end) };
}

/** Decode OXM TLVs until the reader's end (a match body, say). */
export function decodeOxmList(r: Reader): OxmField[] {
  const out: OxmField[] = [];
  while (r.pos < r.end) out.push(decodeOxm(r));
  return out;
}

// ---- encode -----------------------------------------------------------------------------

function bad(what: string, v: unknown): never {
  throw new OfEncodeError(`bad ${what}: ${typeof v === 'bigint' ? `${v}n` : JSON.stringify(v)}`);
}

function parseMac(s: unknown, what: string): number[] {
  if (typeof s !== 'string') bad(what, s);
  const parts = s.split(':');
  if (parts.length !== 6) bad(what, s);
  return parts.map((h) => {
    const n = parseInt(h, 16);
    if (h.length < 1 || h.length > 2 || !/^[0-9a-fA-F]+$/.test(h)) bad(what, s);
    return n;
  });
}

function parseIpv4(s: unknown, what: string): number[] {
  if (typeof s !== 'string') bad(what, s);
  const parts = s.split('.');
  if (parts.length !== 4) bad(what, s);
  return parts.map((d) => {
    if (!/^(0|[1-9][0-9]{0,2})$/.test(d) || Number(d) > 255) bad(what, s);
    return Number(d);
  });
}

/** RFC 4291 §2.2 text (any of its three forms) to 16 bytes; undefined when malformed. */
export function parseIpv6(s: string): Uint8Array | undefined {
  const halves = s.split('::');
  if (halves.length > 2) return undefined;
  const groups = (part: string): number[] | undefined => {
    if (part === '') return [];
    const out: number[] = [];
    const items = part.split(':');
    for (let i = 0; i < items.length; i++) {
      const it = items[i]!;
      if (i === items.length - 1 && it.includes('.')) {
        const v4 = it.split('.');
        if (v4.length !== 4 || v4.some((d) => !/^(0|[1-9][0-9]{0,2})$/.test(d) || Number(d) > 255)) return undefined;
        const [a, b, c, d] = v4.map(Number) as [number, number, number, number];
        out.push((a << 8) | b, (c << 8) | d);
      } else {
        if (!/^[0-9a-fA-F]{1,4}$/.test(it)) return undefined;
        out.push(parseInt(it, 16));
      }
    }
    return out;
  };
  const head = groups(halves[0]!);
  const tail = halves.length === 2 ? groups(halves[1]!) : [];
  if (!head || !tail) return undefined;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return undefined;
  const all = [...head, ...new Array<number>(halves.length === 2 ? missing : 0).fill(0), ...tail];
  const out = new Uint8Array(16);
  all.forEach((g, i) => { out[2 * i] = g >> 8; out[2 * i + 1] = g & 0xff; });
  return out;
}

function writeValue(w: Writer, spec: Spec, v: unknown, what: string): void {
  switch (spec.kind) {
    case U64:
      if (typeof v !== 'bigint' || v < 0n || v > 0xffffffffffffffffn) bad(what, v);
      w.u64(v);
      return;
    case MAC:
      w.bytes(Uint8Array.from(parseMac(v, what)));
      return;
    case IPV4:
      w.bytes(Uint8Array.from(parseIpv4(v, what)));
      return;
    case IPV6: {
      const bytes = typeof v === 'string' ? parseIpv6(v) : undefined;
      if (!bytes) bad(what, v);
      w.bytes(bytes);
      return;
    }
    default: {
      const max = 2 ** (8 * spec.width) - 1;
      if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > max) bad(what, v);
      if (spec.kind === U8) w.u8(v);
      else if (spec.kind === U16) w.u16(v);
      else if (spec.kind === U24) w.u8(v >>> 16).u16(v & 0xffff);
      else w.u32(v);
    }
  }
}

function header(w: Writer, cls: number, field: number, hasmask: boolean, len: number): void {
  if (len > 0xff) throw new OfEncodeError(`OXM payload of ${len} bytes exceeds the 255-byte length field`);
  if (!Number.isInteger(field) || field < 0 || field > 0x7f) bad('OXM field number', field);
  if (!Number.isInteger(cls) || cls < 0 || cls > 0xffff) bad('OXM class', cls);
  w.u16(cls).u8((field << 1) | (hasmask ? 1 : 0)).u8(len);
}

/** Encode one OXM TLV. */
export function encodeOxm(w: Writer, f: OxmField): void {
  if (f.class === 'OPENFLOW_BASIC') {
    const spec = BY_NAME.get(f.field);
    if (!spec) bad('OXM basic field name', f.field);
    const masked = f.mask !== undefined;
    header(w, OFPXMC_OPENFLOW_BASIC, spec.code, masked, masked ? 2 * spec.width : spec.width);
    writeValue(w, spec, f.value, `${f.field} value`);
    if (masked) writeValue(w, spec, f.mask, `${f.field} mask`);
  } else if (f.class === 'EXPERIMENTER') {
    header(w, OFPXMC_EXPERIMENTER, f.field, f.hasmask, 4 + f.data.length);
    w.u32(f.experimenter).bytes(f.data);
  } else {
    header(w, f.class, f.field, f.hasmask, f.data.length);
    w.bytes(f.data);
  }
}

// ---- OXM ids (table features: headers without payload) ----------------------------------

/**
 * An OXM header as listed by table-feature properties (§7.3.5.5.2): 32 bits, or 64 with the
 * experimenter id for class 0xFFFF. `length` is the payload length the header announces.
 */
export type OxmId =
  | { class: 'OPENFLOW_BASIC'; field: OxmBasicName; hasmask: boolean; length: number }
  | { class: 'EXPERIMENTER'; field: number; hasmask: boolean; length: number; experimenter: number }
  | { class: number; field: number; hasmask: boolean; length: number };

export function decodeOxmId(r: Reader): OxmId {
  const cls = r.u16('OXM id class');
  const fh = r.u8('OXM id field');
  const length = r.u8('OXM id length');
  const field = fh >>> 1;
  const hasmask = (fh & 1) === 1;
  if (cls === OFPXMC_OPENFLOW_BASIC) {
    const spec = BY_CODE[field];
    if (spec) return { class: 'OPENFLOW_BASIC', field: spec.name, hasmask, length };
  } else if (cls === OFPXMC_EXPERIMENTER) {
    return { class: 'EXPERIMENTER', field, hasmask, length, experimenter: r.u32('OXM id experimenter') };
  }
  return { class: cls, field, hasmask, length };
}

export function encodeOxmId(w: Writer, id: OxmId): void {
  if (!Number.isInteger(id.length) || id.length < 0 || id.length > 0xff) bad('OXM id length', id.length);
  if (id.class === 'OPENFLOW_BASIC') {
    const code = BY_NAME.get(id.field)?.code;
    if (code === undefined) bad('OXM basic field name', id.field);
    header(w, OFPXMC_OPENFLOW_BASIC, code, id.hasmask, id.length);
  } else if (id.class === 'EXPERIMENTER') {
    header(w, OFPXMC_EXPERIMENTER, id.field, id.hasmask, id.length);
    w.u32(id.experimenter);
  } else {
    header(w, id.class, id.field, id.hasmask, id.length);
  }
}
