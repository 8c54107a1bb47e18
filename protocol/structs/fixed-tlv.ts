/**
 * One mechanism for the many small fixed-size TLVs (most actions, some instructions, meter
 * bands): a layout names the type, the total length and where each scalar sits, and the same
 * layout drives decode and encode. Padding is whatever the layout does not cover.
 */
import { OfEncodeError } from '../errors.js';
import type { Writer } from '../wire/writer.js';

/** [property, byte offset from the TLV's start (type/len included), width]; width 8 is a bigint. */
export type FixedField = readonly [key: string, offset: number, width: 1 | 2 | 4 | 8];

export interface FixedLayout {
  readonly name: string;
  readonly code: number;
  readonly length: number;
  readonly fields: readonly FixedField[];
}

/** Index layouts by type code (a dense array, codes being small) and by name. */
export function indexLayouts(layouts: readonly FixedLayout[]): {
  byCode: (FixedLayout | undefined)[];
  byName: Map<string, FixedLayout>;
} {
  const byCode: (FixedLayout | undefined)[] = [];
  const byName = new Map<string, FixedLayout>();
  for (const l of layouts) {
    byCode[l.code] = l;
    byName.set(l.name, l);
  }
  return { byCode, byName };
}

/** Reads the scalars of a TLV already bounds-checked to span `layout.length` bytes at `p`. */
export function decodeFixed(b: Buffer, p: number, layout: FixedLayout): Record<string, unknown> {
  const o: Record<string, unknown> = { type: layout.name };
  const fields = layout.fields;
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i]!;
    const q = p + f[1];
    switch (f[2]) {
      case 1: o[f[0]] = b[q]; break;
      case 2: o[f[0]] = (b[q]! << 8) | b[q + 1]!; break;
      case 4: o[f[0]] = b[q]! * 0x1000000 + ((b[q + 1]! << 16) | (b[q + 2]! << 8) | b[q + 3]!); break;
      default: o[f[0]] = b.readBigUInt64BE(q);
    }
  }
  return o;
}

/** Writes type, length, the scalars and zero padding. */
export function encodeFixed(w: Writer, layout: FixedLayout, v: Record<string, unknown>): void {
  w.u16(layout.code).u16(layout.length);
  let at = 4;
  for (const [key, offset, width] of layout.fields) {
    w.zeros(offset - at);
    const x = v[key];
    if (width === 8) {
      if (typeof x !== 'bigint' || x < 0n || x > 0xffffffffffffffffn) badField(layout, key, x);
      w.u64(x);
    } else {
      if (typeof x !== 'number' || !Number.isInteger(x) || x < 0 || x > 2 ** (8 * width) - 1) badField(layout, key, x);
      if (width === 1) w.u8(x);
      else if (width === 2) w.u16(x);
      else w.u32(x);
    }
    at = offset + width;
  }
  w.zeros(layout.length - at);
}

function badField(layout: FixedLayout, key: string, x: unknown): never {
  throw new OfEncodeError(`${layout.name}.${key}: bad value ${typeof x === 'bigint' ? `${x}n` : JSON.stringify(x)}`);
}

/** Checks a number fits an unsigned field of `bits`, for the hand-written encoders. */
export function checkUint(what: string, x: unknown, bits: 8 | 16 | 32): number {
  if (typeof x !== 'number' || !Number.isInteger(x) || x < 0 || x > 2 ** bits - 1) {
    throw new OfEncodeError(`${what}: bad value ${typeof x === 'bigint' ? `${x}n` : JSON.stringify(x)}`);
  }
  return x;
}
