/**
 * loxigen's expected values (`{"_class": "message.flow_add", ...}`, loxigen's field names,
 * constructor arguments as `_args`, bytes as `_bytes_hex`) → the shape our decoder produces.
 * As for Ryu, one walk driven by tables: class → message type / TLV name, field renames,
 * and positional `_args` → named fields.
 */
import { Expect, bytesOf } from './expect.js';

export const BSN_EXPERIMENTER = 0x5c16c7;

/** Big Switch subtypes (loxigen's openflow_input/bsn_*): experimenter messages keep them in exp_type. */
const BSN_SUBTYPES: Readonly<Record<string, number>> = {
  bsn_virtual_port_create_request: 15, bsn_flow_idle: 40, bsn_gentable_entry_add: 46,
  bsn_gentable_entry_delete: 47, bsn_gentable_clear_request: 48, bsn_gentable_set_buckets_size: 50,
  bsn_set_aux_cxns_request: 58, bsn_set_aux_cxns_reply: 59,
  // multipart (stats) subtypes
  bsn_lacp_stats: 1, bsn_gentable_entry_desc_stats: 2, bsn_gentable_entry_stats: 3,
  bsn_gentable_desc_stats: 4, bsn_gentable_bucket_stats: 5, bsn_port_counter_stats: 8,
};

/** loxigen message class → our type, plus fields the class name implies. */
const MESSAGES: Readonly<Record<string, { type: string; fixed?: Record<string, unknown> }>> = {
  hello: { type: 'HELLO' },
  echo_request: { type: 'ECHO_REQUEST' },
  echo_reply: { type: 'ECHO_REPLY' },
  features_request: { type: 'FEATURES_REQUEST' },
  features_reply: { type: 'FEATURES_REPLY' },
  get_config_request: { type: 'GET_CONFIG_REQUEST' },
  get_config_reply: { type: 'GET_CONFIG_REPLY' },
  set_config: { type: 'SET_CONFIG' },
  packet_in: { type: 'PACKET_IN' },
  packet_out: { type: 'PACKET_OUT' },
  flow_removed: { type: 'FLOW_REMOVED' },
  port_status: { type: 'PORT_STATUS' },
  flow_add: { type: 'FLOW_MOD', fixed: { command: 0 } },
  flow_modify: { type: 'FLOW_MOD', fixed: { command: 1 } },
  flow_modify_strict: { type: 'FLOW_MOD', fixed: { command: 2 } },
  flow_delete: { type: 'FLOW_MOD', fixed: { command: 3 } },
  flow_delete_strict: { type: 'FLOW_MOD', fixed: { command: 4 } },
  group_modify: { type: 'GROUP_MOD', fixed: { command: 1 } },
  bad_request_error_msg: { type: 'ERROR', fixed: { error_type: 1 } },
  bad_match_error_msg: { type: 'ERROR', fixed: { error_type: 4 } },
};

/** Stats replies: our multipart_type. */
const STATS: Readonly<Record<string, string>> = {
  group: 'GROUP', group_desc: 'GROUP_DESC', meter: 'METER',
  meter_config: 'METER_CONFIG', meter_features: 'METER_FEATURES',
};

/** loxigen's field names where the spec (and so our decoder) says otherwise, per class. */
const RENAMES: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  group_desc_stats_entry: { group_type: 'type' },
  meter_config: { entries: 'bands' },
  hello_elem_versionbitmap: {},
};

/** Positional constructor arguments → field names, per class (loxigen's member order). */
const ARGS: Readonly<Record<string, readonly string[]>> = {
  match: ['oxm_list'],
  uint32: ['value'],
  uint64: ['value'],
};

const ACTIONS: Readonly<Record<string, string>> = {
  output: 'OUTPUT', set_field: 'SET_FIELD', dec_nw_ttl: 'DEC_NW_TTL', group: 'GROUP',
  set_queue: 'SET_QUEUE', pop_vlan: 'POP_VLAN', push_vlan: 'PUSH_VLAN',
};
const ACTION_CODES: Readonly<Record<string, number>> = { output: 0 };
const INSTRUCTIONS: Readonly<Record<string, string>> = {
  goto_table: 'GOTO_TABLE', write_metadata: 'WRITE_METADATA', write_actions: 'WRITE_ACTIONS',
  apply_actions: 'APPLY_ACTIONS', clear_actions: 'CLEAR_ACTIONS', meter: 'METER',
};
const INSTRUCTION_CODES: Readonly<Record<string, number>> = { goto_table: 1 };
/** Big Switch instructions: experimenter instructions with a u32 subtype leading the payload. */
const BSN_INSTRUCTION_SUBTYPES: Readonly<Record<string, number>> = { bsn_disable_src_mac_check: 0 };

/** OXM value kinds by field name, for the fields whose loxigen value is not a plain integer. */
const MAC_FIELDS = new Set(['eth_dst', 'eth_src', 'arp_sha', 'arp_tha', 'ipv6_nd_sll', 'ipv6_nd_tll']);
const IPV6_FIELDS = new Set(['ipv6_src', 'ipv6_dst', 'ipv6_nd_target']);

/**
 * Big Switch OXMs (class 0x0003, loxigen's openflow_input/bsn_*): our codec keeps them as
 * opaque {class, field, hasmask, data}; `bits` is the value width.
 */
const BSN_OXMS: Readonly<Record<string, { field: number; bits: number }>> = {
  bsn_in_ports_128: { field: 0, bits: 128 },
  bsn_lag_id: { field: 1, bits: 32 },
  bsn_global_vrf_allowed: { field: 3, bits: 8 },
  bsn_l3_src_class_id: { field: 5, bits: 32 },
  bsn_in_ports_512: { field: 19, bits: 512 },
};

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

/** What the expected value of one loxigen file is: a whole message, or a fragment. */
export function loxigenToExpected(doc: Obj, constants: Readonly<Record<string, number>>): Obj | unknown {
  const cls = doc['_class'] as string;
  if (!cls.startsWith('message.')) return mapAny(doc);
  const name = cls.slice('message.'.length);
  const { _class, xid, ...fields } = doc;
  const base = { version: 4, xid };
  if (name.startsWith('bsn_')) return { ...base, ...bsnExpected(name) };
  const stats = /^(.*)_stats_(request|reply)$/.exec(name);
  if (stats && STATS[stats[1]!]) {
    const { flags, entries, features } = fields;
    return {
      ...base,
      type: stats[2] === 'request' ? 'MULTIPART_REQUEST' : 'MULTIPART_REPLY',
      multipart_type: STATS[stats[1]!],
      flags,
      body: features !== undefined ? [mapAny(features)] : mapAny(entries),
    };
  }
  const m = MESSAGES[name];
  if (!m) throw new Error(`no mapping for loxigen class ${cls}`);
  const out: Obj = { ...base, type: m.type, ...m.fixed, ...mapFields(name, fields) };
  if (m.type === 'ERROR') Object.assign(out, errorNames(out['error_type'] as number, out['code'] as number, constants));
  return out;
}

/** A Big Switch message: EXPERIMENTER (or an EXPERIMENTER multipart) with BSN's id and the subtype. */
function bsnExpected(name: string): Obj {
  const stats = /^(.*)_(request|reply)$/.exec(name);
  const statsBase = stats && stats[1]!.endsWith('_stats') ? stats[1]! : undefined;
  const opaque = new Expect('opaque bytes', (v) => bytesOf(v) !== undefined);
  if (statsBase !== undefined) {
    return {
      type: stats![2] === 'request' ? 'MULTIPART_REQUEST' : 'MULTIPART_REPLY',
      multipart_type: 'EXPERIMENTER',
      flags: new Expect('a flags number', (v) => typeof v === 'number'),
      body: [{ experimenter: BSN_EXPERIMENTER, exp_type: subtype(statsBase), data: opaque }],
    };
  }
  return { type: 'EXPERIMENTER', experimenter: BSN_EXPERIMENTER, exp_type: subtype(name), data: opaque };
}

function subtype(name: string): number {
  const s = BSN_SUBTYPES[name];
  if (s === undefined) throw new Error(`no BSN subtype known for ${name}`);
  return s;
}

/** ofp_error_msg's names, from loxigen's own constant table (OFPET_*, and the type's code prefix). */
function errorNames(type: number, code: number, constants: Readonly<Record<string, number>>): Obj {
  const typeKey = Object.keys(constants).find((k) => k.startsWith('OFPET_') && constants[k] === type)!;
  const codePrefix = { 1: 'OFPBRC_', 4: 'OFPBMC_' }[type as 1 | 4];
  const codeKey = Object.keys(constants).find((k) => k.startsWith(codePrefix) && constants[k] === code)!;
  return { error_type_name: typeKey.slice('OFPET_'.length), code_name: codeKey.slice(codePrefix.length) };
}

function mapAny(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(mapAny);
  if (!isObj(v)) return v;
  if ('_bytes_hex' in v) return Buffer.from(v['_bytes_hex'] as string, 'hex');
  if (!('_class' in v)) return v;
  const cls = v['_class'] as string;
  const named = withArgs(cls, v);
  const [kind, sub] = cls.split('.') as [string, string | undefined];
  switch (kind) {
    case 'oxm': return mapOxm(sub!, named);
    case 'action': return { type: ACTIONS[sub!] ?? sub, ...mapFields(cls, named) };
    case 'action_id': return { type: ACTION_CODES[sub!] };
    case 'instruction_id': return { type: INSTRUCTION_CODES[sub!] };
    case 'instruction': {
      const bsn = BSN_INSTRUCTION_SUBTYPES[sub!];
      if (bsn !== undefined) return { type: 'EXPERIMENTER', experimenter: BSN_EXPERIMENTER, data: bsnSubtypePayload(bsn) };
      return { type: INSTRUCTIONS[sub!] ?? sub, ...mapFields(cls, named) };
    }
    case 'meter_band': return { type: sub!.toUpperCase(), ...mapFields(cls, named) };
    case 'match': return { type: 1, oxm_fields: mapAny(named['oxm_list']) };
    case 'uint32': case 'uint64': return named['value'];
    case 'hello_elem_versionbitmap': return { type: 'VERSIONBITMAP', ...mapFields(cls, named) };
    default: return mapFields(cls, named);
  }
}

/** A BSN instruction's payload after the experimenter id: u32 subtype, 4 bytes of pad. */
function bsnSubtypePayload(sub: number): Expect {
  return new Expect(`8 bytes: subtype ${sub}, pad`, (v) => {
    const b = bytesOf(v);
    return b !== undefined && b.length === 8 && b.readUInt32BE(0) === sub;
  });
}

function withArgs(cls: string, v: Obj): Obj {
  const { _class, _args, ...rest } = v;
  if (!Array.isArray(_args)) return rest;
  const names = ARGS[cls] ?? (cls.startsWith('oxm.') ? ['value', 'value_mask'] : undefined);
  if (!names) throw new Error(`positional arguments for ${cls} have no field names here`);
  _args.forEach((a, i) => (rest[names[i]!] = a));
  return rest;
}

function mapFields(cls: string, o: Obj): Obj {
  const renames = RENAMES[cls] ?? {};
  const out: Obj = {};
  for (const [k, v] of Object.entries(o)) {
    if (k === '_class') continue;
    const key = renames[k] ?? k;
    if (k === 'data' && typeof v === 'string') out[key] = Buffer.from(v, 'latin1');
    else if (k === 'hw_addr') out[key] = macText(v);
    else out[key] = mapAny(v);
  }
  return out;
}

function mapOxm(sub: string, o: Obj): Obj {
  const masked = sub.endsWith('_masked');
  const field = masked ? sub.slice(0, -'_masked'.length) : sub;
  const bsn = BSN_OXMS[field];
  if (bsn) {
    const parts = [bsnValue(o['value'], bsn.bits)];
    if (masked) parts.push(bsnValue(o['value_mask'], bsn.bits));
    return { class: 3, field: bsn.field, hasmask: masked, data: Buffer.concat(parts) };
  }
  const conv = (x: unknown) => (MAC_FIELDS.has(field) ? macText(x) : IPV6_FIELDS.has(field) ? ipv6Text(bytesOf(mapAny(x))!) : x);
  const out: Obj = { class: 'OPENFLOW_BASIC', field, value: conv(o['value']) };
  if (masked) out['mask'] = conv(o['value_mask']);
  return out;
}

/** loxigen's port bitmaps: a set of port numbers, bit n of a big-endian integer for port n. */
function bsnValue(v: unknown, bits: number): Buffer {
  let n: bigint;
  if (isObj(v) && v['_class'] === 'set') n = 0n;
  else if (isObj(v) && typeof v['_expr'] === 'string') n = evalPortSetExpr(v['_expr'], bits);
  else n = BigInt(v as number);
  const b = Buffer.alloc(bits / 8);
  for (let i = b.length - 1; i >= 0; i--, n >>= 8n) b[i] = Number(n & 0xffn);
  return b;
}

/** The one expression form loxigen's data files use: set(range(0, N)) - set((a, b, ...)). */
function evalPortSetExpr(expr: string, bits: number): bigint {
  const m = /^set\(range\(0, (\d+)\)\) - set\(\(([\d, ]*)\)\)$/.exec(expr);
  if (!m) throw new Error(`unsupported loxigen expression ${expr}`);
  let n = 0n;
  for (let i = 0; i < Number(m[1]); i++) n |= 1n << BigInt(i);
  for (const x of m[2]!.split(',').map((s) => s.trim()).filter(Boolean)) n &= ~(1n << BigInt(x));
  return n & ((1n << BigInt(bits)) - 1n);
}

function macText(v: unknown): string {
  return (v as number[]).map((x) => x.toString(16).padStart(2, '0')).join(':');
}

/** RFC 5952: lower-case hex, leading zeros dropped, the longest run (>1) of zero groups as ::. */
export function ipv6Text(b: Buffer): string {
  const g: number[] = [];
  for (let i = 0; i < 16; i += 2) g.push(b.readUInt16BE(i));
  let best = -1, bestLen = 1;
  for (let i = 0; i < 8;) {
    if (g[i] !== 0) { i++; continue; }
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > bestLen) { best = i; bestLen = j - i; }
    i = j;
  }
  const hex = g.map((x) => x.toString(16));
  if (best < 0) return hex.join(':');
  return `${hex.slice(0, best).join(':')}::${hex.slice(best + bestLen).join(':')}`;
}
