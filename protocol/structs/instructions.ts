/**
 * Instructions (OpenFlow 1.3.5 §7.2.4). Fixed-size types share the layout mechanism of
 * actions; the action-list types nest an action list; EXPERIMENTER keeps its id and opaque
 * payload; an unknown type keeps its number and payload after the 4-byte type/len header.
 */
import type { Reader } from '../wire/reader.js';
import type { Writer } from '../wire/writer.js';
import { OfEncodeError } from '../errors.js';
import { decodeActions, encodeActions, type Action } from './actions.js';
import { checkUint, encodeFixed, indexLayouts, type FixedLayout } from './fixed-tlv.js';

export const OFPIT_EXPERIMENTER = 0xffff;

export type Instruction =
  | { type: 'GOTO_TABLE'; table_id: number }
  | { type: 'WRITE_METADATA'; metadata: bigint; metadata_mask: bigint }
  | { type: 'WRITE_ACTIONS' | 'APPLY_ACTIONS'; actions: Action[] }
  | { type: 'CLEAR_ACTIONS' }
  | { type: 'METER'; meter_id: number }
  | { type: 'EXPERIMENTER'; experimenter: number; data: Buffer }
  | { type: number; data: Buffer };

export type InstructionTypeName = Exclude<Instruction['type'], number>;

const FIXED: readonly FixedLayout[] = [
  { name: 'GOTO_TABLE', code: 1, length: 8, fields: [['table_id', 4, 1]] },
  { name: 'WRITE_METADATA', code: 2, length: 24, fields: [['metadata', 8, 8], ['metadata_mask', 16, 8]] },
  // ofp_instruction_actions with no actions: CLEAR_ACTIONS may carry none (§7.2.4).
  { name: 'CLEAR_ACTIONS', code: 5, length: 8, fields: [] },
  { name: 'METER', code: 6, length: 8, fields: [['meter_id', 4, 4]] },
];
const { byCode: FIXED_BY_CODE, byName: FIXED_BY_NAME } = indexLayouts(FIXED);

/** The two instruction types whose body is an action list. */
const ACTION_LISTS: (string | undefined)[] = [];
ACTION_LISTS[3] = 'WRITE_ACTIONS';
ACTION_LISTS[4] = 'APPLY_ACTIONS';

/** Name of an instruction type code, or the number itself when unknown. */
export function instructionTypeName(code: number): InstructionTypeName | number {
  if (code === OFPIT_EXPERIMENTER) return 'EXPERIMENTER';
  return ((FIXED_BY_CODE[code]?.name ?? ACTION_LISTS[code]) as InstructionTypeName | undefined) ?? code;
}

/** Type code (OFPIT_*) of an instruction name. */
export function instructionTypeCode(name: InstructionTypeName): number {
  if (name === 'EXPERIMENTER') return OFPIT_EXPERIMENTER;
  if (name === 'WRITE_ACTIONS') return 3;
  if (name === 'APPLY_ACTIONS') return 4;
  return FIXED_BY_NAME.get(name)!.code;
}

/** Decode the instruction at the reader's position and move past it. */
export function decodeInstruction(r: Reader): Instruction {
  const b = r.buf;
  const p = r.pos;
  if (p + 4 > r.end) r.need(4, 'instruction header');
  const type = (b[p]! << 8) | b[p + 1]!;
  const len = (b[p + 2]! << 8) | b[p + 3]!;
  if (len < 8 || (len & 7) !== 0) r.fail(`instruction length ${len} is not a multiple of 8 of at least 8`, p);
  if (p + len > r.end) r.fail(`instruction length ${len} runs past its parent (${r.end - p} bytes left)`, p);
  const fixed = FIXED_BY_CODE[type];
  if (fixed !== undefined) {
    if (len !== fixed.length) r.fail(`${fixed.name} instruction length ${len}, expected ${fixed.length}`, p);
    r.pos = p + len;
    return fixed.read(b, p) as Instruction;
  }
  const list = ACTION_LISTS[type];
  if (list !== undefined) {
    // Narrowed in place rather than through r.sub(): one reader less per flow entry.
    const outer = r.end;
    r.pos = p + 8;
    r.end = p + len;
    let actions: Action[];
    try {
      actions = decodeActions(r);
    } finally {
      r.end = outer;
    }
    return { type: list as 'WRITE_ACTIONS' | 'APPLY_ACTIONS', actions };
  }
  r.pos = p + len;
  if (type === OFPIT_EXPERIMENTER) {
    const experimenter = b[p + 4]! * 0x1000000 + ((b[p + 5]! << 16) | (b[p + 6]! << 8) | b[p + 7]!);
    return { type: 'EXPERIMENTER', experimenter, data: b.subarray(p + 8, p + len) };
  }
  return { type, data: b.subarray(p + 4, p + len) };
}

/** Decode instructions until the reader's end. */
export function decodeInstructions(r: Reader): Instruction[] {
  const out: Instruction[] = [];
  while (r.pos < r.end) out.push(decodeInstruction(r));
  return out;
}

export function encodeInstruction(w: Writer, i: Instruction): void {
  if (typeof i.type === 'number') {
    const u = i as { type: number; data: Buffer };
    checkUint('instruction type', u.type, 16);
    w.u16(u.type).u16(checkUint('instruction length', 4 + u.data.length, 16)).bytes(u.data);
    return;
  }
  if (i.type === 'WRITE_ACTIONS' || i.type === 'APPLY_ACTIONS') {
    const start = w.pos;
    w.u16(i.type === 'WRITE_ACTIONS' ? 3 : 4).u16(0).u32(0);
    encodeActions(w, (i as { actions: Action[] }).actions);
    w.patchU16(start + 2, checkUint('instruction length', w.pos - start, 16));
    return;
  }
  if (i.type === 'EXPERIMENTER') {
    const e = i as { experimenter: number; data: Buffer };
    w.u16(OFPIT_EXPERIMENTER).u16(checkUint('instruction length', 8 + e.data.length, 16));
    w.u32(checkUint('EXPERIMENTER.experimenter', e.experimenter, 32)).bytes(e.data);
    return;
  }
  const fixed = FIXED_BY_NAME.get(i.type);
  if (!fixed) throw new OfEncodeError(`unknown instruction type ${JSON.stringify(i.type)}`);
  encodeFixed(w, fixed, i as unknown as Record<string, unknown>);
}

export function encodeInstructions(w: Writer, list: readonly Instruction[]): void {
  for (const i of list) encodeInstruction(w, i);
}
