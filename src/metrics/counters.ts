/**
 * How a metric's value is read from a stats entry: a table of metric suffixes, each with its
 * reader. Every stat type's metrics go through one such table (see engine.ts).
 */

/** OpenFlow: a counter the switch does not keep reads as all ones. */
export const UNSUPPORTED = 0xffff_ffff_ffff_ffffn;

export type Read<E> = (entry: E) => bigint | undefined;
/**
 * `gauge`: the value may legitimately go down (a table's active entries), so going backwards
 * is not a counter reset.
 */
export type CounterSpec<E> = readonly [suffix: string, read: Read<E>, gauge?: 'gauge'];

/** A wire value as a counter; undefined when absent or marked unsupported. */
export function counter(v: unknown): bigint | undefined {
  if (typeof v === 'bigint') return v === UNSUPPORTED ? undefined : v;
  if (typeof v === 'number' && Number.isInteger(v) && v >= 0) return BigInt(v);
  return undefined;
}

/** The entry's field as a counter. */
export function field<E>(name: keyof E & string): Read<E> {
  return (e) => counter(e[name]);
}

/** Bits from a byte counter reader. */
export function bitsOf<E>(bytes: Read<E>): Read<E> {
  return (e) => {
    const v = bytes(e);
    return v === undefined ? undefined : v * 8n;
  };
}

/** Bits from the entry's byte counter field. */
export function bits<E>(name: keyof E & string): Read<E> {
  return bitsOf(field<E>(name));
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
export function packetsBytesBits<E>(packets: Read<E>, bytes: Read<E>): readonly CounterSpec<E>[] {
  return [['packets', packets], ['bytes', bytes], ['bits', bitsOf(bytes)]];
}
