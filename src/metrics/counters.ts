/**
 * How a stat type's metric values come from its entries: a few source counters read from each
 * entry (packets, bytes...), and a table of metric suffixes, each naming its source and how it
 * is derived (bits = bytes × 8). Every stat type's metrics go through one such table (see
 * engine.ts). Values travel as two uint32 halves (rows.ts): exact, and no bigint per counter.
 */

/** OpenFlow: a counter the switch does not keep reads as all ones. */
export const UNSUPPORTED = 0xffff_ffff_ffff_ffffn;

/** Reads a source counter from a decoded entry; undefined when absent or unsupported. */
export type Read<E> = (entry: E) => bigint | undefined;

/**
 * `bits`: the source × 8 (a byte counter as bits). `gauge`: the value may legitimately go down
 * (a table's active entries), so going backwards is not a counter reset.
 */
export type Derivation = 'bits' | 'gauge';
export type CounterSpec = readonly [suffix: string, source: number, derivation?: Derivation];

export interface Counters<E> {
  readonly sources: readonly Read<E>[];
  readonly specs: readonly CounterSpec[];
}

/** A wire value as a counter; undefined when absent or marked unsupported. */
export function counter(v: unknown): bigint | undefined {
  if (typeof v === 'bigint') return v === UNSUPPORTED || v < 0n || v > UNSUPPORTED ? undefined : v;
  if (typeof v === 'number' && Number.isInteger(v) && v >= 0) return BigInt(v);
  return undefined;
}

/** The entry's field as a counter. */
export function field<E>(name: keyof E & string): Read<E> {
  return (e) => counter(e[name]);
}

/** a − b, when both are kept (table `missed` = lookup − matched). */
export function difference<E>(a: keyof E & string, b: keyof E & string): Read<E> {
  const ra = field<E>(a);
  const rb = field<E>(b);
  return (e) => {
    const x = ra(e);
    const y = rb(e);
    return x === undefined || y === undefined || y > x ? undefined : x - y;
  };
}

/** The usual trio for a packet and a byte counter: packets, bytes, bits = bytes × 8. */
export function packetsBytesBits<E>(packets: Read<E>, bytes: Read<E>): Counters<E> {
  return { sources: [packets, bytes], specs: [['packets', 0], ['bytes', 1], ['bits', 1, 'bits']] };
}
