import { isUtf8 } from 'node:buffer';
import type { Reader } from './reader.js';
import type { Writer } from './writer.js';

// Fixed-width, NUL-padded C strings (port names, desc strings, table names). Switches put
// UTF-8 in them (Ryu's data has a UTF-8 port name), so read UTF-8 and fall back to Latin-1
// for bytes that are not valid UTF-8: decoding a name never fails.
const utf8 = new TextDecoder('utf-8', { fatal: true });

export function readCString(r: Reader, n: number, what: string): string {
  const b = r.bytes(n, what);
  let end = b.indexOf(0);
  if (end < 0) end = b.length;
  const raw = b.subarray(0, end);
  // ASCII (nearly every name) takes the fast path; latin1 and UTF-8 agree on it.
  for (let i = 0; i < raw.length; i++) {
    if (raw[i]! >= 0x80) return isUtf8(raw) ? utf8.decode(raw) : raw.toString('latin1');
  }
  return raw.toString('latin1');
}

/**
 * The inverse of readCString, so decode(encode(x)) gives the same string back: UTF-8 when
 * it fits the field (a string read as n bytes without a NUL is written back the same way);
 * else the Latin-1 bytes readCString fell back from; else cut on a character boundary,
 * leaving room for the NUL.
 */
export function writeCString(w: Writer, s: string, n: number): void {
  const b = cStringBytes(s, n);
  w.bytes(b).zeros(n - b.length);
}

function cStringBytes(s: string, n: number): Buffer {
  const u = Buffer.from(s, 'utf8');
  if (u.length <= n) return u;
  if (/^[\x01-\xff]*$/.test(s)) {
    const l = Buffer.from(s, 'latin1');
    if (l.length <= n && !isUtf8(l)) return l;
  }
  let cut = n - 1;
  while (cut > 0 && (u[cut]! & 0xc0) === 0x80) cut--;
  return u.subarray(0, cut);
}
