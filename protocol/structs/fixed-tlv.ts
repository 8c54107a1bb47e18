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

/** A layout with its decoder, built once when the module loads. */
export interface CompiledLayout extends FixedLayout {
  /** Reads the TLV at `p`, already bounds-checked to span `length` bytes. */
  readonly read: (b: Buffer, p: number) => Record<string, unknown>;
}

/** Index layouts by type code (a dense array, codes being small) and by name, compiling each. */
export function indexLayouts(layouts: readonly FixedLayout[]): {
  byCode: (CompiledLayout | undefined)[];
  byName: Map<string, CompiledLayout>;
} {
  const byCode: (CompiledLayout | undefined)[] = [];
  const byName = new Map<string, CompiledLayout>();
  for (const l of layouts) {
    const c: CompiledLayout = { ...l, read: compileReader(l) };
    byCode[l.code] = c;
    byName.set(l.name, c);
  }
  return { byCode, byName };
}

const READ_EXPR: Record<FixedField[2], (at: string) => string> = {
  1: (at) => `b[${at}]`,
  2: (at) => `((b[${at}] << 8) | b[${at} + 1])`,
  4: (at) => `(b[${at}] * 0x1000000 + ((b[${at} + 1] << 16) | (b[${at} + 2] << 8) | b[${at} + 3]))`,
  8: (at) => `b.readBigUInt64BE(${at})`,
};

/**
 * Turns a layout into `(b, p) => ({ type: 'NAME', key: <read>, ... })`. A generic loop storing
 * `o[key]` builds every object through shape transitions and megamorphic stores; a literal per
 * layout gives each TLV type one stable shape, which made flow-stats decoding about a quarter
 * faster. The source is built only from the static tables of this codec, never from input.
 */
function compileReader(l: FixedLayout): (b: Buffer, p: number) => Record<string, unknown> {
  const ident = /^[A-Za-z_][A-Za-z0-9_]*$/;
  if (!ident.test(l.name)) throw new Error(`layout name ${l.name} is not an identifier`);
  const props = [`type: '${l.name}'`];
  for (const [key, offset, width] of l.fields) {
    if (!ident.test(key) || !Number.isInteger(offset) || offset < 4 || offset + width > l.length) {
      throw new Error(`bad field ${key} in layout ${l.name}`);
    }
    props.push(`${key}: ${READ_EXPR[width](`p + ${offset}`)}`);
  }
  return new Function('b', 'p', `return { ${props.join(', ')} };`) as (b: Buffer, p: number) => Record<string, unknown>;
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
