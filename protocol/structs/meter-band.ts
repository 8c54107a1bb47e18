/**
 * Meter bands (OpenFlow 1.3.5 §7.3.4.4). DROP and DSCP_REMARK are fixed layouts;
 * EXPERIMENTER keeps its id and whatever follows the 16-byte band as opaque `data`; an
 * unknown type keeps its number and payload after the 4-byte type/len header.
 */
import type { Reader } from '../wire/reader.js';
import type { Writer } from '../wire/writer.js';
import { OfEncodeError } from '../errors.js';
import { checkUint, encodeFixed, indexLayouts, type FixedLayout } from './fixed-tlv.js';

export const OFPMBT_EXPERIMENTER = 0xffff;
/** ofp_meter_band_header: type, len, rate, burst_size. */
const OFP_METER_BAND_HEADER_LEN = 12;

export type MeterBand =
  | { type: 'DROP'; rate: number; burst_size: number }
  | { type: 'DSCP_REMARK'; rate: number; burst_size: number; prec_level: number }
  | { type: 'EXPERIMENTER'; rate: number; burst_size: number; experimenter: number; data: Buffer }
  | { type: number; data: Buffer };

const FIXED: readonly FixedLayout[] = [
  { name: 'DROP', code: 1, length: 16, fields: [['rate', 4, 4], ['burst_size', 8, 4]] },
  { name: 'DSCP_REMARK', code: 2, length: 16, fields: [['rate', 4, 4], ['burst_size', 8, 4], ['prec_level', 12, 1]] },
];
const { byCode: FIXED_BY_CODE, byName: FIXED_BY_NAME } = indexLayouts(FIXED);

/** Whether a band type code is one OpenFlow 1.3 defines. */
export function isKnownMeterBandType(code: number): boolean {
  return code === OFPMBT_EXPERIMENTER || FIXED_BY_CODE[code] !== undefined;
}

export function decodeMeterBand(r: Reader): MeterBand {
  const b = r.buf;
  const p = r.pos;
  if (p + 4 > r.end) r.need(4, 'meter band header');
  const type = (b[p]! << 8) | b[p + 1]!;
  const len = (b[p + 2]! << 8) | b[p + 3]!;
  if (len < OFP_METER_BAND_HEADER_LEN) r.fail(`meter band length ${len} is below its 12-byte header`, p);
  if (p + len > r.end) r.fail(`meter band length ${len} runs past its parent (${r.end - p} bytes left)`, p);
  const fixed = FIXED_BY_CODE[type];
  if (fixed !== undefined) {
    if (len !== fixed.length) r.fail(`${fixed.name} meter band length ${len}, expected ${fixed.length}`, p);
    r.pos = p + len;
    return fixed.read(b, p) as MeterBand;
  }
  if (type === OFPMBT_EXPERIMENTER) {
    if (len < 16) r.fail(`EXPERIMENTER meter band length ${len} is below 16`, p);
    r.pos = p + 4;
    const rate = r.u32();
    const burst_size = r.u32();
    const experimenter = r.u32();
    return { type: 'EXPERIMENTER', rate, burst_size, experimenter, data: r.bytes(len - 16, 'experimenter band data') };
  }
  r.pos = p + len;
  return { type, data: b.subarray(p + 4, p + len) };
}

/** Decode meter bands until the reader's end. */
export function decodeMeterBands(r: Reader): MeterBand[] {
  const out: MeterBand[] = [];
  while (r.pos < r.end) out.push(decodeMeterBand(r));
  return out;
}

export function encodeMeterBand(w: Writer, band: MeterBand): void {
  if (typeof band.type === 'number') {
    const u = band as { type: number; data: Buffer };
    checkUint('meter band type', u.type, 16);
    w.u16(u.type).u16(checkUint('meter band length', 4 + u.data.length, 16)).bytes(u.data);
    return;
  }
  if (band.type === 'EXPERIMENTER') {
    const e = band as Extract<MeterBand, { type: 'EXPERIMENTER' }>;
    w.u16(OFPMBT_EXPERIMENTER).u16(checkUint('meter band length', 16 + e.data.length, 16));
    w.u32(checkUint('EXPERIMENTER.rate', e.rate, 32)).u32(checkUint('EXPERIMENTER.burst_size', e.burst_size, 32));
    w.u32(checkUint('EXPERIMENTER.experimenter', e.experimenter, 32)).bytes(e.data);
    return;
  }
  const fixed = FIXED_BY_NAME.get(band.type);
  if (!fixed) throw new OfEncodeError(`unknown meter band type ${JSON.stringify(band.type)}`);
  encodeFixed(w, fixed, band as unknown as Record<string, unknown>);
}

export function encodeMeterBands(w: Writer, list: readonly MeterBand[]): void {
  for (const b of list) encodeMeterBand(w, b);
}
