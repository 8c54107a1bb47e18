import type { Reader } from '../../wire/reader.js';
import type { Writer } from '../../wire/writer.js';

// Switches put UTF-8 in desc strings and table names (Ryu's samples do); bytes that are not
// valid UTF-8 fall back to latin1 so that decoding never fails on a name.
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** A fixed-width NUL-padded string field. */
export function readText(r: Reader, n: number, what: string): string {
  const b = r.bytes(n, what);
  let z = b.indexOf(0);
  if (z < 0) z = n;
  const s = b.subarray(0, z);
  try {
    return utf8.decode(s);
  } catch {
    return s.toString('latin1');
  }
}

/** Written as UTF-8, cut on a character boundary to fit, NUL-padded to `n`. */
export function writeText(w: Writer, s: string, n: number): void {
  let b = Buffer.from(s, 'utf8');
  if (b.length > n) {
    let cut = n;
    while (cut > 0 && (b[cut]! & 0xc0) === 0x80) cut--;
    b = b.subarray(0, cut);
  }
  w.bytes(b).zeros(n - b.length);
}
