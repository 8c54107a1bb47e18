import type { Reader } from '../wire/reader.js';
import type { Writer } from '../wire/writer.js';

// Placeholder signature; the real structure is written by its owner.
export type MeterBand = { type: string | number; [k: string]: unknown };
export function decodeMeterBands(r: Reader): MeterBand[] {
  return r.fail('meter-band not implemented yet');
}
export function encodeMeterBands(w: Writer, v: MeterBand[]): void {
  void w; void v;
  throw new Error('meter-band encoder not implemented yet');
}
