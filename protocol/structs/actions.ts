import type { Reader } from '../wire/reader.js';
import type { Writer } from '../wire/writer.js';

// Placeholder signature; the real structure is written by its owner.
export type Action = { type: string | number; [k: string]: unknown };
export function decodeActions(r: Reader): Action[] {
  return r.fail('actions not implemented yet');
}
export function encodeActions(w: Writer, v: Action[]): void {
  void w; void v;
  throw new Error('actions encoder not implemented yet');
}
