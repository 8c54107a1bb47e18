import type { Reader } from '../wire/reader.js';
import type { Writer } from '../wire/writer.js';
import { OfEncodeError } from '../errors.js';
import { decodeOxmList, encodeOxm, type OxmField } from './oxm.js';

export type { OxmField } from './oxm.js';

/** OFPMT_OXM: the only match type OpenFlow 1.3 defines for use (STANDARD is deprecated). */
export const OFPMT_OXM = 1;

/** ofp_match (§7.2.2); its length and padding are implied by the fields. */
export interface Match {
  type: number;
  oxm_fields: OxmField[];
  /**
   * Trailing padding, kept only when a switch left non-zero bytes there (seen in a real
   * capture), so that re-encoding gives the bytes back exactly. Absent means zeros.
   */
  pad?: Buffer;
}

/** Read a whole ofp_match, trailing padding to 8 bytes included, from the reader's position. */
export function decodeMatch(r: Reader): Match {
  const at = r.pos;
  const type = r.u16('match type');
  const length = r.u16('match length');
  if (type !== OFPMT_OXM) r.fail(`match type ${type} is not OFPMT_OXM (1)`, at);
  if (length < 4) r.fail(`match length ${length} is below its 4-byte header`, at);
  // Narrow the reader to the match body instead of allocating a sub-reader: this runs once
  // per flow entry on the poller's hot path.
  const end = at + length;
  if (end > r.end) r.fail(`match length ${length} runs past its parent (${r.end - at} bytes left)`, at);
  const outer = r.end;
  r.end = end;
  let oxm_fields: OxmField[];
  try {
    oxm_fields = decodeOxmList(r);
  } finally {
    r.end = outer;
  }
  const padLen = ((length + 7) & ~7) - length;
  const pad = r.bytes(padLen, 'match padding');
  for (let i = 0; i < padLen; i++) {
    if (pad[i] !== 0) return { type, oxm_fields, pad };
  }
  return { type, oxm_fields };
}

export function encodeMatch(w: Writer, m: Match): void {
  if (m.type !== OFPMT_OXM) throw new OfEncodeError(`match type ${m.type} is not OFPMT_OXM (1)`);
  const start = w.pos;
  w.u16(m.type).u16(0);
  for (const f of m.oxm_fields) encodeOxm(w, f);
  const length = w.pos - start;
  if (length > 0xffff) throw new OfEncodeError(`match of ${length} bytes exceeds its 16-bit length`);
  w.patchU16(start + 2, length);
  const padLen = ((length + 7) & ~7) - length;
  if (m.pad !== undefined && m.pad.length === padLen) w.bytes(m.pad);
  else w.zeros(padLen);
}
