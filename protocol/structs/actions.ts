/**
 * Actions (OpenFlow 1.3.5 §7.2.5). Fixed-size types come from one layout table; SET_FIELD
 * carries an OXM; EXPERIMENTER keeps its id and opaque payload; an unknown type keeps its
 * number and payload (after the 4-byte type/len header) so it re-encodes to the same bytes.
 */
import type { Reader } from '../wire/reader.js';
import type { Writer } from '../wire/writer.js';
import { OfEncodeError } from '../errors.js';
import { decodeOxm, encodeOxm, type OxmField } from './oxm.js';
import { checkUint, encodeFixed, indexLayouts, type FixedLayout } from './fixed-tlv.js';

export const OFPAT_SET_FIELD = 25;
export const OFPAT_EXPERIMENTER = 0xffff;

export type Action =
  | { type: 'OUTPUT'; port: number; max_len: number }
  | { type: 'COPY_TTL_OUT' | 'COPY_TTL_IN' | 'DEC_MPLS_TTL' | 'POP_VLAN' | 'DEC_NW_TTL' | 'POP_PBB' }
  | { type: 'SET_MPLS_TTL'; mpls_ttl: number }
  | { type: 'PUSH_VLAN' | 'PUSH_MPLS' | 'POP_MPLS' | 'PUSH_PBB'; ethertype: number }
  | { type: 'SET_QUEUE'; queue_id: number }
  | { type: 'GROUP'; group_id: number }
  | { type: 'SET_NW_TTL'; nw_ttl: number }
  | { type: 'SET_FIELD'; field: OxmField }
  | { type: 'EXPERIMENTER'; experimenter: number; data: Buffer }
  | { type: number; data: Buffer };

export type ActionTypeName = Exclude<Action['type'], number>;

const FIXED: readonly FixedLayout[] = [
  { name: 'OUTPUT', code: 0, length: 16, fields: [['port', 4, 4], ['max_len', 8, 2]] },
  { name: 'COPY_TTL_OUT', code: 11, length: 8, fields: [] },
  { name: 'COPY_TTL_IN', code: 12, length: 8, fields: [] },
  { name: 'SET_MPLS_TTL', code: 15, length: 8, fields: [['mpls_ttl', 4, 1]] },
  { name: 'DEC_MPLS_TTL', code: 16, length: 8, fields: [] },
  { name: 'PUSH_VLAN', code: 17, length: 8, fields: [['ethertype', 4, 2]] },
  { name: 'POP_VLAN', code: 18, length: 8, fields: [] },
  { name: 'PUSH_MPLS', code: 19, length: 8, fields: [['ethertype', 4, 2]] },
  { name: 'POP_MPLS', code: 20, length: 8, fields: [['ethertype', 4, 2]] },
  { name: 'SET_QUEUE', code: 21, length: 8, fields: [['queue_id', 4, 4]] },
  { name: 'GROUP', code: 22, length: 8, fields: [['group_id', 4, 4]] },
  { name: 'SET_NW_TTL', code: 23, length: 8, fields: [['nw_ttl', 4, 1]] },
  { name: 'DEC_NW_TTL', code: 24, length: 8, fields: [] },
  { name: 'PUSH_PBB', code: 26, length: 8, fields: [['ethertype', 4, 2]] },
  { name: 'POP_PBB', code: 27, length: 8, fields: [] },
];
const { byCode: FIXED_BY_CODE, byName: FIXED_BY_NAME } = indexLayouts(FIXED);

/** Type code of an action name (OFPAT_*), for table features and the like. */
export function actionTypeCode(name: ActionTypeName): number {
  if (name === 'SET_FIELD') return OFPAT_SET_FIELD;
  if (name === 'EXPERIMENTER') return OFPAT_EXPERIMENTER;
  return FIXED_BY_NAME.get(name)!.code;
}

/** Name of an action type code, or the number itself when unknown. */
export function actionTypeName(code: number): ActionTypeName | number {
  if (code === OFPAT_SET_FIELD) return 'SET_FIELD';
  if (code === OFPAT_EXPERIMENTER) return 'EXPERIMENTER';
  return (FIXED_BY_CODE[code]?.name as ActionTypeName | undefined) ?? code;
}

/** Decode the action at the reader's position and move past it. */
export function decodeAction(r: Reader): Action {
  const b = r.buf;
  const p = r.pos;
  if (p + 4 > r.end) r.need(4, 'action header');
  const type = (b[p]! << 8) | b[p + 1]!;
  const len = (b[p + 2]! << 8) | b[p + 3]!;
  // Every action is a multiple of 8 bytes (§7.2.5); anything else cannot be walked safely.
  if (len < 8 || (len & 7) !== 0) r.fail(`action length ${len} is not a multiple of 8 of at least 8`, p);
  if (p + len > r.end) r.fail(`action length ${len} runs past its parent (${r.end - p} bytes left)`, p);
  const fixed = FIXED_BY_CODE[type];
  if (fixed !== undefined) {
    if (len !== fixed.length) r.fail(`${fixed.name} action length ${len}, expected ${fixed.length}`, p);
    r.pos = p + len;
    return fixed.read(b, p) as Action;
  }
  if (type === OFPAT_SET_FIELD) {
    r.pos = p + 4;
    const body = r.sub(len - 4, 'SET_FIELD action');
    const field = decodeOxm(body);
    // The OXM is followed by the least padding that reaches a multiple of 8, nothing more.
    if (body.remaining >= 8) r.fail(`SET_FIELD action has ${body.remaining} bytes after its OXM`, p);
    return { type: 'SET_FIELD', field };
  }
  r.pos = p + len;
  if (type === OFPAT_EXPERIMENTER) {
    const experimenter = b[p + 4]! * 0x1000000 + ((b[p + 5]! << 16) | (b[p + 6]! << 8) | b[p + 7]!);
    return { type: 'EXPERIMENTER', experimenter, data: b.subarray(p + 8, p + len) };
  }
  return { type, data: b.subarray(p + 4, p + len) };
}

/** Decode actions until the reader's end. */
export function decodeActions(r: Reader): Action[] {
  const out: Action[] = [];
  while (r.pos < r.end) out.push(decodeAction(r));
  return out;
}

export function encodeAction(w: Writer, a: Action): void {
  if (typeof a.type === 'number') {
    const u = a as { type: number; data: Buffer };
    checkUint('action type', u.type, 16);
    w.u16(u.type).u16(checkUint('action length', 4 + u.data.length, 16)).bytes(u.data);
    return;
  }
  if (a.type === 'SET_FIELD') {
    const start = w.pos;
    w.u16(OFPAT_SET_FIELD).u16(0);
    encodeOxm(w, (a as { field: OxmField }).field);
    w.align(start, 8);
    w.patchU16(start + 2, w.pos - start);
    return;
  }
  if (a.type === 'EXPERIMENTER') {
    const e = a as { experimenter: number; data: Buffer };
    w.u16(OFPAT_EXPERIMENTER).u16(checkUint('action length', 8 + e.data.length, 16));
    w.u32(checkUint('EXPERIMENTER.experimenter', e.experimenter, 32)).bytes(e.data);
    return;
  }
  const fixed = FIXED_BY_NAME.get(a.type);
  if (!fixed) throw new OfEncodeError(`unknown action type ${JSON.stringify(a.type)}`);
  encodeFixed(w, fixed, a as unknown as Record<string, unknown>);
}

export function encodeActions(w: Writer, list: readonly Action[]): void {
  for (const a of list) encodeAction(w, a);
}
