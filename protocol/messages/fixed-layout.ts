import type { Family, MessageBase } from '../family.js';
import { OfEncodeError } from '../errors.js';
import { checkUint } from '../structs/fixed-tlv.js';
import { readMac, writeMac } from '../structs/port.js';
import type { Reader } from '../wire/reader.js';
import type { Writer } from '../wire/writer.js';

/**
 * Many OpenFlow messages have a fixed body: a few integers and padding. One layout table per
 * message drives decode, encode and the exact-length check, so no message repeats that logic.
 * (Shared by the hello..table-mod families; lives here because barrier is the simplest user.)
 */
type Kind = 'u8' | 'u16' | 'u32' | 'u64' | 'mac' | 'u32pair';
/** A named field, or a number of padding bytes (dropped on decode, zeros on encode). */
export type Layout = readonly (readonly [string, Kind] | number)[];

const SIZE: Record<Kind, number> = { u8: 1, u16: 2, u32: 4, u64: 8, mac: 6, u32pair: 8 };

function checkUint64(what: string, x: unknown): bigint {
  if (typeof x !== 'bigint' || x < 0n || x > 0xffff_ffff_ffff_ffffn) throw new OfEncodeError(`${what}: bad value ${String(x)}`);
  return x;
}

export function layoutSize(layout: Layout): number {
  return layout.reduce<number>((n, f) => n + (typeof f === 'number' ? f : SIZE[f[1]]), 0);
}

function readField(r: Reader, kind: Kind, name: string): unknown {
  switch (kind) {
    case 'u8': return r.u8(name);
    case 'u16': return r.u16(name);
    case 'u32': return r.u32(name);
    case 'u64': return r.u64(name);
    case 'mac': return readMac(r, name);
    case 'u32pair': return [r.u32(name), r.u32(name)];
  }
}

// Out-of-range values are refused, not truncated by the writer's masking.
function writeField(w: Writer, kind: Kind, v: unknown, name: string): void {
  switch (kind) {
    case 'u8': w.u8(checkUint(name, v, 8)); break;
    case 'u16': w.u16(checkUint(name, v, 16)); break;
    case 'u32': w.u32(checkUint(name, v, 32)); break;
    case 'u64': w.u64(checkUint64(name, v)); break;
    case 'mac': writeMac(w, v as string); break;
    case 'u32pair': {
      const [a, b] = v as readonly [number, number];
      w.u32(checkUint(name, a, 32)).u32(checkUint(name, b, 32));
      break;
    }
  }
}

export function decodeLayout(r: Reader, layout: Layout, what: string): Record<string, unknown> {
  const size = layoutSize(layout);
  if (r.remaining !== size) r.fail(`${what} body is ${r.remaining} bytes, expected ${size}`);
  return decodeHead(r, layout);
}

/**
 * The fixed part at the front of a body whose tail is variable (a match, instructions,
 * packet data): reads `layout` from the reader's position and leaves the rest to the caller.
 */
export function decodeHead(r: Reader, layout: Layout): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of layout) {
    if (typeof f === 'number') r.skip(f);
    else out[f[0]] = readField(r, f[1], f[0]);
  }
  return out;
}

/** Writes `layout`'s fields from `m` (a whole fixed body, or the head of a variable one). */
export function encodeLayout(w: Writer, layout: Layout, m: object): void {
  const rec = m as Record<string, unknown>;
  for (const f of layout) {
    if (typeof f === 'number') w.zeros(f);
    else writeField(w, f[1], rec[f[0]], f[0]);
  }
}

/**
 * A message family whose body is exactly `layout`. `encodable: false` leaves `encode` out
 * entirely (the state-changing messages).
 */
export function fixedFamily<M extends MessageBase>(
  code: number,
  name: M['type'],
  layout: Layout,
  encodable: boolean,
): Family<MessageBase> {
  const decode = (r: Reader) => decodeLayout(r, layout, name);
  const f: Family<MessageBase> = encodable
    ? { code, name, decode, encode: (w: Writer, m: MessageBase) => encodeLayout(w, layout, m) }
    : { code, name, decode };
  return f;
}

/** A fixed-size structure inside a body (a multipart entry) described by its layout. */
export function layoutStruct<T>(layout: Layout): { decode(r: Reader): T; encode(w: Writer, v: T): void } {
  return {
    decode: (r) => decodeHead(r, layout) as T,
    encode: (w, v) => encodeLayout(w, layout, v as object),
  };
}
