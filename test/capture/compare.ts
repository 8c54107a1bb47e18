/** Our decode output and tshark's, reduced to what both can say: frame, version, type, xid. */
import { OFPT } from '../../protocol/constants.js';
import type { DecodeRun } from './paths.js';
import type { TsharkMessage } from './tshark.js';

export interface Seen {
  frame: number;
  version: number;
  type: number;
  xid: number;
}

/** Our output lines (messages and error objects alike) in tshark's terms. */
export function seenOf(run: DecodeRun): Seen[] {
  return run.lines.map((l) => {
    const hexVersion = typeof l.hex === 'string' ? parseInt(l.hex.slice(0, 2), 16) : undefined;
    const t = l.type;
    return {
      frame: l.frame as number,
      version: (l.version as number | undefined) ?? hexVersion ?? -1,
      type: typeof t === 'string' ? OFPT[t as keyof typeof OFPT] : (t as number),
      xid: l.xid as number,
    };
  });
}

export const byPlace = (a: Seen, b: Seen) => a.frame - b.frame || a.type - b.type || a.xid - b.xid;
export const sorted = (x: (Seen | TsharkMessage)[]): Seen[] =>
  x.map(({ frame, version, type, xid }) => ({ frame, version, type, xid })).sort(byPlace);

