/**
 * One poll's entries as the metrics engine reads them: columns of numbers. Each row has a key
 * (a 64-bit cookie or a 32-bit id, as high and low halves), up to three numbers telling apart
 * rows with the same key (flows: table, in port, out port), and its source counters as uint32
 * halves, all ones meaning absent (OpenFlow's "not kept"). The lean FLOW scan's columns are
 * such rows as they are; decoded entries of the other stat types are turned into rows here.
 */
import { highHalf, lowHalf } from '../../protocol/wire/halves.js';
import type { Counters } from './counters.js';

export type Column = ArrayLike<number>;

export interface Rows {
  length: number;
  keyHi: Column;
  keyLo: Column;
  d0: Column;
  d1: Column;
  d2: Column;
  /** Per source counter, the high and the low halves of every row's value. */
  hi: readonly Column[];
  lo: readonly Column[];
}

export type Key = bigint | number;

/** How decoded entries become rows. */
export interface EntryShape<E> {
  readonly counters: Counters<E>;
  key(e: E): Key;
  /** Entries worth no point at all this poll (an empty table). */
  accept?(e: E): boolean;
  /** Fills d with up to three numbers telling apart entries that share a key. */
  discriminate?(e: E, d: number[]): void;
}

export const ABSENT = 0xffff_ffff;

export function rowsOf<E>(entries: readonly E[], shape: EntryShape<E>): Rows {
  const kept = shape.accept === undefined ? entries : entries.filter((e) => shape.accept!(e));
  const n = kept.length;
  const keyHi = new Uint32Array(n);
  const keyLo = new Uint32Array(n);
  const d0 = new Uint32Array(n);
  const d1 = new Uint32Array(n);
  const d2 = new Uint32Array(n);
  const sources = shape.counters.sources;
  const hi = sources.map(() => new Uint32Array(n));
  const lo = sources.map(() => new Uint32Array(n));
  const d = [0, 0, 0];
  for (let i = 0; i < n; i++) {
    const e = kept[i]!;
    const k = shape.key(e);
    if (typeof k === 'bigint') {
      keyHi[i] = highHalf(k);
      keyLo[i] = lowHalf(k);
    } else {
      keyLo[i] = k >>> 0;
    }
    d[0] = 0; d[1] = 0; d[2] = 0;
    shape.discriminate?.(e, d);
    d0[i] = d[0]!;
    d1[i] = d[1]!;
    d2[i] = d[2]!;
    for (let s = 0; s < sources.length; s++) {
      const v = sources[s]!(e);
      if (v === undefined) {
        hi[s]![i] = ABSENT;
        lo[s]![i] = ABSENT;
      } else {
        hi[s]![i] = highHalf(v);
        lo[s]![i] = lowHalf(v);
      }
    }
  }
  return { length: n, keyHi, keyLo, d0, d1, d2, hi, lo };
}
