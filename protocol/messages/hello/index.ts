import { OFP_VERSION, OFPT } from '../../constants.js';
import { family, type Family, type MessageBase } from '../../family.js';
import type { Reader } from '../../wire/reader.js';
import type { Writer } from '../../wire/writer.js';

/** ofp_hello_elem_type. */
export const OFPHET = { VERSIONBITMAP: 1 } as const;

/**
 * `unpadded` is set only when the sender left out the zero padding the spec requires after
 * an element whose length is not a multiple of 8 (Ryu and loxigen do), so that re-encoding
 * gives back the same bytes.
 */
interface ElemBase {
  unpadded?: true;
}
export interface HelloElemVersionBitmap extends ElemBase {
  type: 'VERSIONBITMAP';
  /** 32-bit words; bit n of word i set means version i*32+n is supported. */
  bitmaps: number[];
}
/** An element type this codec does not know: skipped for negotiation, kept for re-encoding. */
export interface HelloElemUnknown extends ElemBase {
  type: number;
  data: Buffer;
}
export type HelloElem = HelloElemVersionBitmap | HelloElemUnknown;

export interface HelloMessage extends MessageBase<'HELLO'> {
  elements: HelloElem[];
}
export type Messages = HelloMessage;

const ELEM_HEADER_LEN = 4;

function padOf(len: number): number {
  return (8 - (len % 8)) % 8;
}

/** True when the next `n` bytes exist and are all zero, i.e. they are the element's padding. */
function zeroPadFollows(r: Reader, n: number): boolean {
  if (n === 0 || r.remaining < n) return false;
  for (let i = 0; i < n; i++) if (r.buf[r.pos + i] !== 0) return false;
  return true;
}

function decodeElement(r: Reader): HelloElem {
  r.need(ELEM_HEADER_LEN, 'hello element header');
  const type = r.peekU16(0);
  const len = r.peekU16(2);
  if (len < ELEM_HEADER_LEN) r.fail(`hello element length ${len} is below its ${ELEM_HEADER_LEN}-byte header`);
  const e = r.sub(len, 'hello element');
  e.skip(ELEM_HEADER_LEN);
  let elem: HelloElem;
  if (type === OFPHET.VERSIONBITMAP) {
    if (e.remaining % 4 !== 0) e.fail(`version bitmap of ${e.remaining} bytes is not a whole number of 32-bit words`);
    const bitmaps: number[] = [];
    while (e.remaining > 0) bitmaps.push(e.u32('bitmap'));
    elem = { type: 'VERSIONBITMAP', bitmaps };
  } else {
    elem = { type, data: e.bytes(e.remaining) };
  }
  // The spec pads each element to 8 bytes; some encoders do not. A valid element header
  // never starts with zero bytes only where padding would be, so this tells them apart.
  const pad = padOf(len);
  if (zeroPadFollows(r, pad)) r.skip(pad);
  else if (pad !== 0) elem.unpadded = true;
  return elem;
}

function encodeElement(w: Writer, el: HelloElem): void {
  const start = w.pos;
  w.u16(el.type === 'VERSIONBITMAP' ? OFPHET.VERSIONBITMAP : el.type).u16(0);
  if (el.type === 'VERSIONBITMAP') for (const b of el.bitmaps) w.u32(b);
  else w.bytes((el as HelloElemUnknown).data);
  w.patchU16(start + 2, w.pos - start);
  if (!el.unpadded) w.align(start, 8);
}

const hello = family<HelloMessage>({
  code: OFPT.HELLO,
  name: 'HELLO',
  decode(r) {
    const elements: HelloElem[] = [];
    while (r.remaining > 0) elements.push(decodeElement(r));
    return { elements };
  },
  encode(w, m) {
    for (const el of m.elements) encodeElement(w, el);
  },
});

export const families = [hello] as unknown as readonly Family<MessageBase>[];

/** Versions a bitmap list marks as supported, ascending. */
export function bitmapVersions(bitmaps: readonly number[]): number[] {
  const out: number[] = [];
  bitmaps.forEach((word, i) => {
    for (let bit = 0; bit < 32; bit++) if ((word >>> bit) & 1) out.push(i * 32 + bit);
  });
  return out;
}

/** Bitmap words marking exactly `versions`. */
export function versionsBitmap(versions: readonly number[]): number[] {
  const words: number[] = [];
  for (const v of versions) {
    if (!Number.isInteger(v) || v < 0 || v > 0xff) throw new RangeError(`not an OpenFlow version: ${v}`);
    const i = v >>> 5;
    while (words.length <= i) words.push(0);
    words[i] = (words[i]! | (1 << (v & 31))) >>> 0;
  }
  return words;
}

/**
 * Versions the sender of this HELLO offers: from its (first) version bitmap, or, where it
 * sent none, its header version alone (OpenFlow 1.3.5 §6.3.1).
 */
export function helloVersions(msg: Pick<HelloMessage, 'version' | 'elements'>): number[] {
  const bm = msg.elements.find((e): e is HelloElemVersionBitmap => e.type === 'VERSIONBITMAP');
  return bm ? bitmapVersions(bm.bitmaps) : [msg.version];
}

/**
 * The version to speak after HELLOs are exchanged (§6.3.1), given that ours carries a bitmap:
 * with their bitmap, the highest version in both; without one, the smaller of the two header
 * versions, if we speak it. Undefined means none: answer ERROR HELLO_FAILED / INCOMPATIBLE.
 */
export function negotiateVersion(ours: readonly number[], theirs: Pick<HelloMessage, 'version' | 'elements'>): number | undefined {
  if (ours.length === 0) return undefined;
  const hasBitmap = theirs.elements.some((e) => e.type === 'VERSIONBITMAP');
  if (!hasBitmap) {
    const v = Math.min(Math.max(...ours), theirs.version);
    return ours.includes(v) ? v : undefined;
  }
  const offered = new Set(helloVersions(theirs));
  let best: number | undefined;
  for (const v of ours) if (offered.has(v) && (best === undefined || v > best)) best = v;
  return best;
}

/** Our HELLO: header version = the highest we speak, plus a bitmap of all of them. */
export function helloMessage(xid: number, versions: readonly number[] = [OFP_VERSION]): HelloMessage {
  if (versions.length === 0) throw new RangeError('a HELLO must offer at least one version');
  return {
    version: Math.max(...versions),
    type: 'HELLO',
    xid,
    elements: [{ type: 'VERSIONBITMAP', bitmaps: versionsBitmap(versions) }],
  };
}
