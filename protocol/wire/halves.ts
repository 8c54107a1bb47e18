/**
 * Unsigned 64-bit values as two uint32 halves: how the poller's hot path carries cookies and
 * counters (columns, rows, point batches) exactly without a bigint per value. The bigint form
 * is made only where one is really needed (a key for the registry, a log line, big digits).
 */
const MASK32 = 0xffff_ffffn;

export function fromHalves(hi: number, lo: number): bigint {
  return (BigInt(hi) << 32n) | BigInt(lo);
}

/** High half of 0 ≤ v < 2⁶⁴. */
export function highHalf(v: bigint): number {
  return Number((v >> 32n) & MASK32);
}

/** Low half of v. */
export function lowHalf(v: bigint): number {
  return Number(v & MASK32);
}
