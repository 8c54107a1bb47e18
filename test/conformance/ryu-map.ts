/**
 * Ryu's jsondict (`{"OFPClassName": {...}}`, lists tagged by class, OXM as OXMTlv, bytes in
 * base64) → the shape our decoder produces (spec field names, docs/codec-conventions.md).
 * One mapper for every message: the class tables below say what differs, the walk does the
 * rest (unwrap the class, drop the length fields the encoder recomputes, name TLV types).
 */
import { Expect, bytesOf } from './expect.js';
import { NXM_FIELDS, OFPAT, OFPHET, OFPIT, OFPMBT, OFPMP, OFPQT, OFPTFPT, nameOr, type Names } from './of-names.js';

/** Length fields the structure implies: our decoded values leave them out. */
const IMPLIED_LENGTHS = new Set(['len', 'length', 'actions_len', 'match_len']);

/** TLV families: class-name prefix → the names of its `type` numbers (and Ryu's key for it). */
const TLV_FAMILIES: readonly { prefix: string; names: Names; typeKey: string }[] = [
  { prefix: 'OFPAction', names: OFPAT, typeKey: 'type' },
  { prefix: 'OFPInstruction', names: OFPIT, typeKey: 'type' },
  { prefix: 'OFPMeterBand', names: OFPMBT, typeKey: 'type' },
  { prefix: 'OFPHelloElem', names: OFPHET, typeKey: 'type' },
  { prefix: 'OFPQueueProp', names: OFPQT, typeKey: 'property' },
  { prefix: 'OFPTableFeatureProp', names: OFPTFPT, typeKey: 'type' },
];

/** Message classes whose name is not the spec's type name spelled in CamelCase. */
const MESSAGE_NAME_EXCEPTIONS: Readonly<Record<string, string>> = {
  OFPErrorMsg: 'ERROR',
  OFPSwitchFeatures: 'FEATURES_REPLY',
};

/** Fields a message renames because the envelope already uses the spec's name. */
const RENAMES: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  OFPErrorMsg: { type: 'error_type' },
  OFPGroupMod: { type: 'group_type' },
  // Ryu's own name; the spec's struct field is next_table_ids.
  OFPTableFeaturePropNextTables: { table_ids: 'next_table_ids' },
  OFPTableFeaturePropExperimenter: { data: 'experimenter_data' },
};

/** Per-class field conversions where Ryu's representation is not the spec's. */
const FIELD_CONVERSIONS: Readonly<Record<string, (o: Record<string, unknown>) => Record<string, unknown>>> = {
  // Ryu lists the versions; the wire (and our decoder) carries the bitmap words.
  OFPHelloElemVersionBitmap: (o) => {
    const words = new Array<number>(Math.max(0, ((o['length'] as number) - 4) / 4)).fill(0);
    for (const v of o['versions'] as number[]) words[v >> 5] = (words[v >> 5]! | (1 << (v & 31))) >>> 0;
    const { versions: _v, ...rest } = o;
    return { ...rest, bitmaps: words };
  },
  // Ryu prints no payload for an experimenter band; its length says how much there is.
  OFPMeterBandExperimenter: (o) => ({ ...o, data: Buffer.alloc((o['len'] as number) - 16) }),
  // The spec types experimenter_data as uint32_t[], and Ryu lists those words.
  OFPTableFeaturePropExperimenter: (o) => {
    const words = o['data'] as number[];
    const b = Buffer.alloc(words.length * 4);
    words.forEach((w, i) => b.writeUInt32BE(w, i * 4));
    return { ...o, data: b };
  },
  // An experimenter error has no code on the wire (exp_type sits there).
  OFPErrorMsg: (o) => {
    const { code, ...rest } = o;
    return code === null ? rest : o;
  },
};

const camelToUpperSnake = (s: string): string => s.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase();

function isClassTagged(v: unknown): v is Record<string, Record<string, unknown>> {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
  const keys = Object.keys(v);
  return keys.length === 1 && /^[A-Z]/.test(keys[0]!) && typeof (v as Record<string, unknown>)[keys[0]!] === 'object';
}

/** Whole message: the top-level class decides type / multipart_type; xid comes from the header. */
export function ryuToExpected(doc: unknown, xid: number): Record<string, unknown> {
  if (!isClassTagged(doc)) throw new Error('not a Ryu jsondict message');
  const cls = Object.keys(doc)[0]!;
  const o = doc[cls]!;
  const multipart = /Stats(Request|Reply)$/.exec(cls);
  if (multipart) {
    const { type: mpType, flags, body, ...structFields } = o;
    let list: unknown[];
    if (Array.isArray(body)) list = body;
    else if (body !== undefined) list = [body];
    else list = Object.keys(structFields).length > 0 ? [structFields] : [];
    return {
      version: 4,
      type: multipart[1] === 'Request' ? 'MULTIPART_REQUEST' : 'MULTIPART_REPLY',
      xid,
      multipart_type: nameOr(OFPMP, mpType),
      flags,
      // An ONF experimenter body is one opaque blob to us, however many entries Ryu parsed.
      body: cls.startsWith('ONF') ? [onfOpaque(o)] : list.map((b) => (isClassTagged(b) ? mapAny(b) : mapFields('', b as Record<string, unknown>))),
    };
  }
  const typeName = MESSAGE_NAME_EXCEPTIONS[cls] ?? camelToUpperSnake(cls.replace(/^OFP/, ''));
  return { version: 4, type: typeName, xid, ...mapFields(cls, o) };
}

/** An ONF experimenter multipart body (flow monitor): our codec keeps it opaque. */
function onfOpaque(o: Record<string, unknown>): Record<string, unknown> {
  return { experimenter: o['experimenter'], exp_type: o['exp_type'], data: new Expect('opaque experimenter bytes', (v) => bytesOf(v) !== undefined) };
}

function mapAny(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(mapAny);
  if (isClassTagged(v)) {
    const cls = Object.keys(v)[0]!;
    return mapClass(cls, v[cls]!);
  }
  return v;
}

function mapClass(cls: string, o: Record<string, unknown>): unknown {
  if (cls === 'OXMTlv') return mapOxm(o);
  if (cls === 'OFPOxmId') return mapOxmId(o);
  if (cls.startsWith('NXAction')) return nxAction(o);
  // Table-feature ids are bare TLV headers: the codec keeps their type as the number.
  const fam = /Id$/.test(cls) ? undefined : TLV_FAMILIES.find((f) => cls.startsWith(f.prefix));
  const out = mapFields(cls, o);
  if (fam && fam.typeKey in o) {
    delete out[fam.typeKey];
    return { type: nameOr(fam.names, o[fam.typeKey]), ...out };
  }
  return out;
}

function mapFields(cls: string, o: Record<string, unknown>): Record<string, unknown> {
  const conv = FIELD_CONVERSIONS[cls];
  const src = conv ? conv(o) : o;
  const renames = RENAMES[cls] ?? {};
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(src)) {
    if (IMPLIED_LENGTHS.has(k)) continue;
    out[renames[k] ?? k] = k === 'data' ? mapData(v) : mapAny(v);
  }
  return out;
}

/** Ryu prints payload bytes as base64, a list of byte values, or (packet-out) a parsed packet. */
function mapData(v: unknown): unknown {
  if (typeof v === 'string') return Buffer.from(v, 'base64');
  if (Array.isArray(v)) return Buffer.from(v as number[]);
  if (isClassTagged(v) && 'Packet' in v) return packetExpect(v['Packet']!);
  return v;
}

/** What Ryu's packet library parsed out of the data: its Ethernet and IPv4 headers. */
function packetExpect(p: Record<string, unknown>): Expect {
  const protos = p['protocols'] as Record<string, Record<string, unknown>>[];
  const eth = protos.find((x) => 'ethernet' in x)?.['ethernet'];
  const ip = protos.find((x) => 'ipv4' in x)?.['ipv4'];
  const mac = (b: Buffer, at: number) => [...b.subarray(at, at + 6)].map((x) => x.toString(16).padStart(2, '0')).join(':');
  const ipv4 = (b: Buffer, at: number) => [...b.subarray(at, at + 4)].join('.');
  return new Expect(`packet ${toText(eth)} ${toText(ip)}`, (v) => {
    const b = bytesOf(v);
    if (!b || !eth) return false;
    if (mac(b, 0) !== eth['dst'] || mac(b, 6) !== eth['src'] || b.readUInt16BE(12) !== eth['ethertype']) return false;
    if (!ip) return true;
    return ipv4(b, 26) === ip['src'] && ipv4(b, 30) === ip['dst'] && b.length === 14 + (ip['total_length'] as number);
  });
}

const toText = (v: unknown) => JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? x.toString() : x));

/**
 * OpenFlow 1.3 fields Ryu gives a basic-looking name although 1.3 puts them in the ONF
 * experimenter class (EXT-256): class 0xFFFF, field 0, experimenter ONF, then exp_type.
 */
const ONF_EXPERIMENTER = 0x4f4e4600;
const ONF_OXM: Readonly<Record<string, { expType: number; width: number }>> = {
  pbb_uca: { expType: 2560, width: 1 },
};

/** OXMTlv → our OXM: basic fields by name; Nicira and ONF fields as the opaque TLVs we keep. */
function mapOxm(o: Record<string, unknown>): Record<string, unknown> {
  const field = o['field'] as string;
  const onf = ONF_OXM[field];
  if (onf) {
    const expType = Buffer.alloc(2);
    expType.writeUInt16BE(onf.expType);
    const hasmask = o['mask'] !== null;
    const parts = [expType, encodeNx(o['value'], onf.width)];
    if (hasmask) parts.push(encodeNx(o['mask'], onf.width));
    return { class: 'EXPERIMENTER', field: 0, hasmask, experimenter: ONF_EXPERIMENTER, data: Buffer.concat(parts) };
  }
  const nx = NXM_FIELDS[field];
  if (nx) {
    const hasmask = o['mask'] !== null;
    const bytes = [encodeNx(o['value'], nx.width)];
    if (hasmask) bytes.push(encodeNx(o['mask'], nx.width));
    return { class: nx.class, field: nx.field, hasmask, data: Buffer.concat(bytes) };
  }
  const out: Record<string, unknown> = { class: 'OPENFLOW_BASIC', field, value: o['value'] };
  if (o['mask'] !== null) out['mask'] = o['mask'];
  return out;
}

function encodeNx(v: unknown, width: number): Buffer {
  const b = Buffer.alloc(width);
  if (typeof v === 'string') return Buffer.from(v.split('.').map(Number));
  let n = BigInt(v as number | bigint);
  for (let i = width - 1; i >= 0; i--, n >>= 8n) b[i] = Number(n & 0xffn);
  return b;
}

/** A table-features OXM id: the header of an OXM without a value. */
function mapOxmId(o: Record<string, unknown>): Record<string, unknown> {
  return { class: 'OPENFLOW_BASIC', field: o['type'], hasmask: o['hasmask'] !== 0, length: o['length'] };
}

/**
 * Nicira actions Ryu decodes into fields; our codec keeps every experimenter action opaque,
 * so what is checkable is the id, the payload length (len minus the 8-byte header) and the
 * subtype leading the payload.
 */
function nxAction(o: Record<string, unknown>): Record<string, unknown> {
  const len = o['len'] as number;
  const subtype = o['subtype'] as number;
  return {
    type: 'EXPERIMENTER',
    experimenter: o['experimenter'],
    data: new Expect(`${len - 8} bytes starting with subtype ${subtype}`, (v) => {
      const b = bytesOf(v);
      return b !== undefined && b.length === len - 8 && b.length >= 2 && b.readUInt16BE(0) === subtype;
    }),
  };
}
