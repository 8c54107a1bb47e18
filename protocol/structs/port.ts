import type { Reader } from '../wire/reader.js';
import type { Writer } from '../wire/writer.js';

// Placeholder signature; the real structure is written by its owner.
export type Port = { port_no: number; name: string; [k: string]: unknown };
export function decodePort(r: Reader): Port {
  return r.fail('port not implemented yet');
}
export function encodePort(w: Writer, v: Port): void {
  void w; void v;
  throw new Error('port encoder not implemented yet');
}
