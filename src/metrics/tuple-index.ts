/**
 * A hash index from tuples of four uint32 to dense ids 0..size-1 (open addressing, linear
 * probing). The series memory keys ~1,000,000 rules by (cookie high, cookie low) and
 * (key id, table, in port, out port): as Map entries with bigint keys and an object per rule
 * that was most of its ~0.9 KB per rule and a bigint per rule and poll; here it is ~40 bytes
 * and no allocation per lookup. Ids are dense so callers keep per-id data in parallel arrays;
 * entries are removed in bulk by compact(), which renumbers them.
 */
const EMPTY = -1;

export class TupleIndex {
  size = 0;
  private tuples: Uint32Array;
  private table: Int32Array;
  private mask: number;

  constructor(capacity = 16) {
    const cap = Math.max(16, capacity | 0);
    this.tuples = new Uint32Array(cap * 4);
    const slots = pow2AtLeast(cap * 2);
    this.table = new Int32Array(slots).fill(EMPTY);
    this.mask = slots - 1;
  }

  /** How many ids fit before the per-id arrays must grow. */
  get capacity(): number {
    return this.tuples.length >>> 2;
  }

  /** The id of (a, b, c, d), or -1. */
  find(a: number, b: number, c: number, d: number): number {
    const t = this.tuples;
    let h = hash(a, b, c, d) & this.mask;
    for (;;) {
      const id = this.table[h]!;
      if (id === EMPTY) return EMPTY;
      const o = id << 2;
      if (t[o] === a && t[o + 1] === b && t[o + 2] === c && t[o + 3] === d) return id;
      h = (h + 1) & this.mask;
    }
  }

  /** Add a tuple not in the index; its id is the old size. */
  insert(a: number, b: number, c: number, d: number): number {
    const id = this.size;
    if (id === this.capacity) this.grow(id * 2);
    const o = id << 2;
    this.tuples[o] = a;
    this.tuples[o + 1] = b;
    this.tuples[o + 2] = c;
    this.tuples[o + 3] = d;
    this.place(id);
    this.size = id + 1;
    return id;
  }

  /** Whether id holds (a, b, c, d): checking a guess costs one sequential read, not a probe. */
  holds(id: number, a: number, b: number, c: number, d: number): boolean {
    if (id >= this.size) return false;
    const t = this.tuples;
    const o = id << 2;
    return t[o] === a && t[o + 1] === b && t[o + 2] === c && t[o + 3] === d;
  }

  /** Field f (0..3) of id's tuple. */
  field(id: number, f: number): number {
    return this.tuples[(id << 2) + f]!;
  }

  /**
   * Keep the ids for which keep(id) is true, renumbered in order; returns old id → new id
   * (-1 for a removed one) so callers can move their parallel data the same way.
   */
  compact(keep: (id: number) => boolean): Int32Array {
    const map = new Int32Array(this.size).fill(EMPTY);
    let n = 0;
    for (let id = 0; id < this.size; id++) {
      if (!keep(id)) continue;
      if (n !== id) this.tuples.copyWithin(n << 2, id << 2, (id << 2) + 4);
      map[id] = n++;
    }
    this.size = n;
    this.table.fill(EMPTY);
    for (let id = 0; id < n; id++) this.place(id);
    return map;
  }

  /** Field f of every tuple becomes map[field] (ids stay; the index is rebuilt). */
  remapField(f: number, map: Int32Array): void {
    for (let id = 0; id < this.size; id++) this.tuples[(id << 2) + f] = map[this.tuples[(id << 2) + f]!]!;
    this.table.fill(EMPTY);
    for (let id = 0; id < this.size; id++) this.place(id);
  }

  private place(id: number): void {
    const o = id << 2;
    const t = this.tuples;
    let h = hash(t[o]!, t[o + 1]!, t[o + 2]!, t[o + 3]!) & this.mask;
    while (this.table[h] !== EMPTY) h = (h + 1) & this.mask;
    this.table[h] = id;
  }

  private grow(capacity: number): void {
    const tuples = new Uint32Array(capacity * 4);
    tuples.set(this.tuples);
    this.tuples = tuples;
    const slots = pow2AtLeast(capacity * 2);
    this.table = new Int32Array(slots).fill(EMPTY);
    this.mask = slots - 1;
    for (let id = 0; id < this.size; id++) this.place(id);
  }
}

function pow2AtLeast(n: number): number {
  let p = 16;
  while (p < n) p *= 2;
  return p;
}

// murmur3's 32-bit finalizer over a mix of the four words: cookies differ in few bits.
function hash(a: number, b: number, c: number, d: number): number {
  let h = Math.imul(a ^ 0x9e3779b9, 0x85ebca6b);
  h = Math.imul(h ^ b ^ (h >>> 15), 0xc2b2ae35);
  h = Math.imul(h ^ c ^ (h >>> 13), 0x85ebca6b);
  h = Math.imul(h ^ d ^ (h >>> 16), 0xc2b2ae35);
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d);
  h ^= h >>> 15;
  return h >>> 0;
}
