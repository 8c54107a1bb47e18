import type { Reader } from '../wire/reader.js';
import type { Writer } from '../wire/writer.js';
import { OfEncodeError } from '../errors.js';
import { decodeOxmId, encodeOxmId, type OxmId } from './oxm.js';

/**
 * Table-feature properties (ofp_table_feature_prop_*, OpenFlow 1.3.5 §7.3.5.5.2). Each is a
 * TLV whose `length` excludes the padding to a multiple of 8 that follows it.
 */

/**
 * An instruction or action id: the TLV header only (§7.3.5.5.2). Experimenter ids (type
 * 0xFFFF) carry their experimenter id; anything beyond what the header needs (Open vSwitch
 * pads instruction ids to 8 bytes) is kept in `data` so the bytes survive a round trip.
 */
export interface TlvId {
  type: number;
  experimenter?: number;
  data?: Buffer;
}

export type InstructionsProp = { type: 'INSTRUCTIONS' | 'INSTRUCTIONS_MISS'; instruction_ids: TlvId[] };
export type NextTablesProp = { type: 'NEXT_TABLES' | 'NEXT_TABLES_MISS'; next_table_ids: number[] };
export type ActionsProp = {
  type: 'WRITE_ACTIONS' | 'WRITE_ACTIONS_MISS' | 'APPLY_ACTIONS' | 'APPLY_ACTIONS_MISS';
  action_ids: TlvId[];
};
export type OxmProp = {
  type: 'MATCH' | 'WILDCARDS' | 'WRITE_SETFIELD' | 'WRITE_SETFIELD_MISS' | 'APPLY_SETFIELD' | 'APPLY_SETFIELD_MISS';
  oxm_ids: OxmId[];
};
export type ExperimenterProp = {
  type: 'EXPERIMENTER' | 'EXPERIMENTER_MISS';
  experimenter: number;
  exp_type: number;
  experimenter_data: Buffer;
};
/** A property type this codec does not know: kept whole, re-encoded as it came. */
export type UnknownProp = { type: number; data: Buffer };

export type TableFeatureProp = InstructionsProp | NextTablesProp | ActionsProp | OxmProp | ExperimenterProp | UnknownProp;
type KnownProp = Exclude<TableFeatureProp, UnknownProp>;
export type TableFeaturePropName = KnownProp['type'];

/** How each property's payload (after type and length) is read and written. */
interface PayloadCodec {
  decode(r: Reader): Record<string, unknown>;
  encode(w: Writer, p: Record<string, unknown>): void;
}

const TLV_EXPERIMENTER = 0xffff;

function decodeTlvIds(r: Reader, what: string): TlvId[] {
  const out: TlvId[] = [];
  while (r.remaining > 0) {
    const type = r.u16(`${what} type`);
    const len = r.u16(`${what} len`);
    if (len < 4) r.fail(`${what} len ${len} is below 4`, r.pos - 2);
    const body = r.sub(len - 4, what);
    const id: TlvId = { type };
    if (type === TLV_EXPERIMENTER && body.remaining >= 4) id.experimenter = body.u32('experimenter');
    if (body.remaining > 0) id.data = body.bytes(body.remaining);
    out.push(id);
  }
  return out;
}

function encodeTlvIds(w: Writer, ids: readonly TlvId[]): void {
  for (const id of ids) {
    const len = 4 + (id.experimenter !== undefined ? 4 : 0) + (id.data?.length ?? 0);
    w.u16(id.type).u16(len);
    if (id.experimenter !== undefined) w.u32(id.experimenter);
    if (id.data) w.bytes(id.data);
  }
}

function tlvIds(key: 'instruction_ids' | 'action_ids', what: string): PayloadCodec {
  return {
    decode: (r) => ({ [key]: decodeTlvIds(r, what) }),
    encode: (w, p) => encodeTlvIds(w, p[key] as TlvId[]),
  };
}

const nextTables: PayloadCodec = {
  decode(r) {
    const next_table_ids: number[] = [];
    while (r.remaining > 0) next_table_ids.push(r.u8());
    return { next_table_ids };
  },
  encode(w, p) {
    for (const id of p.next_table_ids as number[]) w.u8(id);
  },
};

const oxmIds: PayloadCodec = {
  decode(r) {
    const oxm_ids: OxmId[] = [];
    while (r.remaining > 0) oxm_ids.push(decodeOxmId(r));
    return { oxm_ids };
  },
  encode(w, p) {
    for (const id of p.oxm_ids as OxmId[]) encodeOxmId(w, id);
  },
};

const experimenter: PayloadCodec = {
  decode(r) {
    return {
      experimenter: r.u32('experimenter'),
      exp_type: r.u32('exp_type'),
      experimenter_data: r.bytes(r.remaining, 'experimenter_data'),
    };
  },
  encode(w, p) {
    w.u32(p.experimenter as number).u32(p.exp_type as number).bytes(p.experimenter_data as Buffer);
  },
};

const instructionIds = tlvIds('instruction_ids', 'instruction id');
const actionIds = tlvIds('action_ids', 'action id');

/** ofp_table_feature_prop_type → name and payload codec; 9 and 11 are unassigned in 1.3. */
const PROPS: ReadonlyArray<readonly [TableFeaturePropName, number, PayloadCodec]> = [
  ['INSTRUCTIONS', 0, instructionIds],
  ['INSTRUCTIONS_MISS', 1, instructionIds],
  ['NEXT_TABLES', 2, nextTables],
  ['NEXT_TABLES_MISS', 3, nextTables],
  ['WRITE_ACTIONS', 4, actionIds],
  ['WRITE_ACTIONS_MISS', 5, actionIds],
  ['APPLY_ACTIONS', 6, actionIds],
  ['APPLY_ACTIONS_MISS', 7, actionIds],
  ['MATCH', 8, oxmIds],
  ['WILDCARDS', 10, oxmIds],
  ['WRITE_SETFIELD', 12, oxmIds],
  ['WRITE_SETFIELD_MISS', 13, oxmIds],
  ['APPLY_SETFIELD', 14, oxmIds],
  ['APPLY_SETFIELD_MISS', 15, oxmIds],
  ['EXPERIMENTER', 0xfffe, experimenter],
  ['EXPERIMENTER_MISS', 0xffff, experimenter],
];

export const OFPTFPT: Readonly<Record<TableFeaturePropName, number>> = Object.fromEntries(
  PROPS.map(([name, code]) => [name, code]),
) as Record<TableFeaturePropName, number>;

const BY_CODE = new Map(PROPS.map(([name, code, codec]) => [code, { name, codec }]));
const BY_NAME = new Map(PROPS.map(([name, code, codec]) => [name as string, { code, codec }]));

const PROP_HEADER_LEN = 4;

/** Properties to the end of `r` (ofp_table_features.properties). */
export function decodeTableFeatureProps(r: Reader): TableFeatureProp[] {
  const out: TableFeatureProp[] = [];
  while (r.remaining > 0) {
    const type = r.peekU16(0);
    const length = r.peekU16(2);
    if (length < PROP_HEADER_LEN) r.fail(`table feature property length ${length} is below 4`);
    const sub = r.sub(length, 'table feature property');
    sub.skip(PROP_HEADER_LEN);
    const known = BY_CODE.get(type);
    out.push(
      known
        ? ({ type: known.name, ...known.codec.decode(sub) } as TableFeatureProp)
        : { type, data: sub.bytes(sub.remaining) },
    );
    sub.expectEnd('table feature property');
    const pad = (8 - (length % 8)) % 8;
    if (pad > r.remaining) r.fail(`table feature property padding: need ${pad} bytes, ${r.remaining} left`);
    r.skip(pad);
  }
  return out;
}

export function encodeTableFeatureProps(w: Writer, props: readonly TableFeatureProp[]): void {
  for (const p of props) {
    const start = w.pos;
    w.u16(0).u16(0);
    if (typeof p.type === 'number') {
      w.patchU16(start, p.type);
      w.bytes((p as UnknownProp).data);
    } else {
      const known = BY_NAME.get(p.type);
      if (!known) throw new OfEncodeError(`unknown table feature property type ${String(p.type)}`);
      w.patchU16(start, known.code);
      known.codec.encode(w, p as unknown as Record<string, unknown>);
    }
    w.patchU16(start + 2, w.pos - start);
    w.align(start, 8);
  }
}
