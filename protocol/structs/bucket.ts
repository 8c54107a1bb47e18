import type { Reader } from '../wire/reader.js';
import type { Writer } from '../wire/writer.js';
import { decodeActions, encodeActions, type Action } from './actions.js';
import { checkUint } from './fixed-tlv.js';

/** ofp_bucket (§7.3.4.2); `len` is implied by the actions. */
export interface Bucket {
  weight: number;
  watch_port: number;
  watch_group: number;
  actions: Action[];
}

const OFP_BUCKET_LEN = 16;

export function decodeBucket(r: Reader): Bucket {
  const at = r.pos;
  const len = r.peekU16(0);
  if (len < OFP_BUCKET_LEN) r.fail(`bucket length ${len} is below its 16-byte header`, at);
  const s = r.sub(len, 'bucket');
  s.skip(2, 'bucket length');
  const weight = s.u16('bucket weight');
  const watch_port = s.u32('bucket watch_port');
  const watch_group = s.u32('bucket watch_group');
  s.skip(4, 'bucket padding');
  return { weight, watch_port, watch_group, actions: decodeActions(s) };
}

/** Decode buckets until the reader's end. */
export function decodeBuckets(r: Reader): Bucket[] {
  const out: Bucket[] = [];
  while (r.pos < r.end) out.push(decodeBucket(r));
  return out;
}

export function encodeBucket(w: Writer, b: Bucket): void {
  const start = w.pos;
  w.u16(0).u16(checkUint('bucket weight', b.weight, 16));
  w.u32(checkUint('bucket watch_port', b.watch_port, 32)).u32(checkUint('bucket watch_group', b.watch_group, 32)).u32(0);
  encodeActions(w, b.actions);
  w.patchU16(start, checkUint('bucket length', w.pos - start, 16));
}

export function encodeBuckets(w: Writer, list: readonly Bucket[]): void {
  for (const b of list) encodeBucket(w, b);
}
