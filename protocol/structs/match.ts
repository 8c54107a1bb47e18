import type { Reader } from '../wire/reader.js';
import type { Writer } from '../wire/writer.js';

// Placeholder signature; the real structure is written by its owner.
export type Match = { type: number; oxm_fields: unknown[] };
export function decodeMatch(r: Reader): Match {
  return r.fail('match not implemented yet');
}
export function encodeMatch(w: Writer, v: Match): void {
  void w; void v;
  throw new Error('match encoder not implemented yet');
}
