/**
 * The one mechanism every stats entry goes through: a table of metric suffixes, each with
 * how to read its value from the entry.
 */
import type { Point } from './types.js';

/** OpenFlow: a counter the switch does not keep reads as all ones. */
export const UNSUPPORTED = 0xffff_ffff_ffff_ffffn;

export type Read<E> = (entry: E) => bigint | undefined;
export type CounterSpec<E> = readonly [suffix: string, read: Read<E>];

function asBig(v: unknown): bigint | undefined {
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number' && Number.isInteger(v) && v >= 0) return BigInt(v);
  return undefined;
}

/** The field as a counter; undefined (no point) when absent or marked unsupported. */
export function field<E>(name: keyof E & string): Read<E> {
  return (e) => {
    const v = asBig(e[name]);
    return v === undefined || v === UNSUPPORTED ? undefined : v;
  };
}

/** Bits from a byte counter. */
export function bits<E>(name: keyof E & string): Read<E> {
  const bytes = field<E>(name);
  return (e) => {
    const v = bytes(e);
    return v === undefined ? undefined : v * 8n;
  };
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

/** One point per spec whose value the entry has. */
export function pointsOf<E>(
  entry: E,
  specs: readonly CounterSpec<E>[],
  name: (suffix: string) => string,
  tags: Readonly<Record<string, string>>,
  timestamp: number,
  out: Point[],
): void {
  for (const [suffix, read] of specs) {
    const value = read(entry);
    if (value !== undefined) out.push({ metric: name(suffix), tags, value, timestamp });
  }
}
