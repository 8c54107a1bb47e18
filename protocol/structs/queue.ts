import type { Reader } from '../wire/reader.js';
import type { Writer } from '../wire/writer.js';

// Placeholder signature; the real structure is written by its owner.
export type PacketQueue = { type: string | number; [k: string]: unknown };
export function decodePacketQueues(r: Reader): PacketQueue[] {
  return r.fail('queue not implemented yet');
}
export function encodePacketQueues(w: Writer, v: PacketQueue[]): void {
  void w; void v;
  throw new Error('queue encoder not implemented yet');
}
