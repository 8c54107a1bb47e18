import type { Reader } from '../wire/reader.js';
import type { Writer } from '../wire/writer.js';

// Placeholder signature; the real structure is written by its owner.
export type Bucket = { type: string | number; [k: string]: unknown };
export function decodeBuckets(r: Reader): Bucket[] {
  return r.fail('bucket not implemented yet');
}
export function encodeBuckets(w: Writer, v: Bucket[]): void {
  void w; void v;
  throw new Error('bucket encoder not implemented yet');
}
