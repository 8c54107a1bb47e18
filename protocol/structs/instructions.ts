import type { Reader } from '../wire/reader.js';
import type { Writer } from '../wire/writer.js';

// Placeholder signature; the real structure is written by its owner.
export type Instruction = { type: string | number; [k: string]: unknown };
export function decodeInstructions(r: Reader): Instruction[] {
  return r.fail('instructions not implemented yet');
}
export function encodeInstructions(w: Writer, v: Instruction[]): void {
  void w; void v;
  throw new Error('instructions encoder not implemented yet');
}
