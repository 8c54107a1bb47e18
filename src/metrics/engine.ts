/**
 * The one mechanism every stat type's metrics go through. A stat type is described by a
 * Mapping: its counters (counters.ts), how an entry is keyed and looked up in the flow
 * registry, and a table of metric families, each one description: base name, predicate
 * (kind of rule, position on the path...), tag builder. Predicates and tag builders run only
 * when an entry is first seen or its registry answer changes; a steady poll reads counters
 * from rows of numbers (rows.ts) and appends points to a PointBatch with the remembered tag
 * text: no object and no bigint per entry or point.
 *
 * Several entries mapping to the same series in one reply (same cookie, table and ports but a
 * different match, as OVN's br-int has) are summed into one point: a series has one value per
 * time, and the sum is what its tags describe. A cookie in several tables is several series
 * (tableid), none dropped.
 */
import { fromHalves } from '../../protocol/wire/halves.js';
import type { FlowRegistry } from '../registry/types.js';
import type { StatType } from '../scheduler/types.js';
import type { CounterSpec } from './counters.js';
import { NO_FAMILY, Store, type Out, type ResetEvent, type SeriesMemory } from './memory.js';
import { PointBatch } from './point-batch.js';
import { ABSENT, type EntryShape, type Key, type Rows } from './rows.js';
import { formatTags, parseTags } from './tag-text.js';
import { metricName } from './types.js';

export interface Family<C> {
  /** Metric name without prefix and counter suffix: `flow.raw` → `flow.raw.bytes`. */
  readonly base: string;
  readonly when: (ctx: C) => boolean;
  readonly tags: (ctx: C) => Record<string, string>;
  /**
   * Fed by one entry per key and poll (the first): flow endpoint metrics have no switch or
   * table tag, so a cookie in two tables would otherwise write one series twice.
   */
  readonly oncePerKey?: boolean;
}

export type { Key };

export interface Mapping<E, I, R, C> extends EntryShape<E> {
  readonly families: readonly Family<C>[];
  /** The key is a 64-bit value (a cookie: bigint); otherwise a 32-bit id (number). */
  readonly wideKey?: boolean;
  /**
   * Worked out from the key when tags are (re)built, not remembered: a decoded cookie per rule
   * was ~190 bytes of the series memory, and rebuilds are rare.
   */
  decode?(key: Key): I;
  /** The registry's answer for the key; compared by identity to tell whether tags must be rebuilt. */
  lookup?(registry: FlowRegistry, switchId: string, key: Key): R | undefined;
  context(switchId: string, key: Key, info: I, answer: R | undefined, d: readonly number[]): C;
}

export interface Resolved {
  prefix: string;
  registry: FlowRegistry;
  memory: SeriesMemory;
}

export interface RowBatch {
  switchId: string;
  statType: StatType;
  arrivedAt: number;
}

const TWO32 = 4294967296;

/**
 * Map one poll's rows to points; resets are reported to the memory. The batch is the memory's:
 * valid until the next mapping with the same memory (write it, or copy it with points()).
 */
export function mapRows<E, I, R, C>(batch: RowBatch, rows: Rows, m: Mapping<E, I, R, C>, opts: Resolved): PointBatch {
  const { memory, registry } = opts;
  const specs = m.counters.specs;
  const nSpecs = specs.length;
  const nSources = m.counters.sources.length;
  const names = m.families.map((f) => specs.map(([suffix]) => metricName(opts, `${f.base}.${suffix}`)));
  const once = m.families.map((f) => f.oncePerKey === true);
  const store = memory.store(batch.switchId, batch.statType, nSources);
  const gen = ++store.gen;
  restamp(store, registry);
  // The last poll's batch and scratch are refilled: a 100,000-rule poll allocates nothing here.
  let out = memory.batch;
  if (out === undefined) memory.batch = out = new PointBatch(batch.arrivedAt, rows.length * nSpecs + 16);
  else out.reset(batch.arrivedAt);
  if (memory.touched.length < rows.length) memory.touched = new Int32Array(rows.length);
  const touched = memory.touched;
  let nTouched = 0;
  const d = [0, 0, 0];
  const { keyHi, keyLo, d0, d1, d2, hi, lo } = rows;

  // Entries past the memory's cap go to a store of this poll alone: summed and written the
  // same way, never compared with an earlier poll.
  let overflow: Store | undefined;
  let guess = 0;

  for (let i = 0; i < rows.length; i++) {
    const kh = keyHi[i]!;
    const kl = keyLo[i]!;
    d[0] = d0[i]!; d[1] = d1[i]!; d[2] = d2[i]!;
    let st = store;
    let k: number;
    let s: number;
    // A switch lists its entries in the same order poll after poll, and entry ids follow the
    // order they were first seen: the entry after the last one is checked first. Hits read
    // the memory sequentially; two hash probes per row were mostly cache misses.
    const gk = guess < store.entries.size ? store.entries.field(guess, 0) : -1;
    if (gk >= 0 && store.keys.holds(gk, kh, kl, 0, 0) && store.entries.holds(guess, gk, d[0], d[1], d[2])) {
      k = gk;
      s = guess;
    } else {
      k = st.keys.find(kh, kl, 0, 0);
      s = k < 0 ? -1 : st.entries.find(k, d[0], d[1], d[2]);
    }
    if (s < 0 && !memory.admit(batch.switchId)) {
      if (overflow === undefined) {
        overflow = new Store(nSources);
        overflow.gen = gen;
      }
      st = overflow;
      k = st.keys.find(kh, kl, 0, 0);
      s = k < 0 ? -1 : st.entries.find(k, d[0], d[1], d[2]);
    }
    if (s < 0) {
      if (k < 0) {
        k = st.keys.insert(kh, kl, 0, 0);
        st.ensureKey(k);
        st.keyGen[k] = 0;
        st.keyStamp[k] = -1;
        st.keyAnswer[k] = undefined;
      }
      s = st.entries.insert(k, d[0], d[1], d[2]);
      st.ensureEntry(s);
      st.seen[s] = 0;
      st.built[s] = 0;
      st.text0[s] = undefined;
      st.extra[s] = undefined;
      st.ref[s] = undefined;
      st.forgetLast(s);
    }
    const firstOfKey = st.keyGen[k] !== gen;
    if (firstOfKey) {
      st.keyGen[k] = gen;
      if (st.keyStamp[k] !== store.stamp) {
        st.keyStamp[k] = store.stamp;
        st.keyAnswer[k] = m.lookup?.(registry, batch.switchId, keyOf(m, kh, kl));
      }
    }
    const answer = st.keyAnswer[k];
    if (st.built[s] === 0 || st.ref[s] !== answer) {
      const outs = build(m, batch.switchId, keyOf(m, kh, kl), answer as R | undefined, d);
      // New tags are new series: their history starts now, not from the old series' values.
      if (st.built[s] === 1 && !sameTexts(outsOf(st, s), outs)) st.forgetLast(s);
      st.built[s] = 1;
      st.fam0[s] = outs.length === 0 ? NO_FAMILY : outs[0]!.fam;
      st.text0[s] = outs.length === 0 ? undefined : outs[0]!.text;
      st.extra[s] = outs.length > 1 ? outs.slice(1) : undefined;
      st.ref[s] = answer;
    }
    if (st === store) guess = s + 1;
    const base = s * nSources;
    if (st.seen[s] === gen) {
      // Another entry of a series already counted this poll: its counters are added.
      for (let c = 0; c < nSources; c++) addInto(st, base + c, hi[c]![i]!, lo[c]![i]!);
      continue;
    }
    st.seen[s] = gen;
    st.first[s] = firstOfKey ? 1 : 0;
    touched[nTouched++] = st === store ? s : ~s;
    for (let c = 0; c < nSources; c++) {
      st.curHi[base + c] = hi[c]![i]!;
      st.curLo[base + c] = lo[c]![i]!;
    }
  }

  // Second pass, in order of first appearance: reset check against the last poll, then points.
  let resets = 0;
  const shown: ResetEvent[] = [];
  const logLimit = memory.logLimit;
  const reset = new Uint8Array(nSources);
  const prevHi = new Uint32Array(nSources);
  const prevLo = new Uint32Array(nSources);
  let remembered = 0;
  for (let t = 0; t < nTouched; t++) {
    const st = touched[t]! >= 0 ? store : overflow!;
    const s = touched[t]! >= 0 ? touched[t]! : ~touched[t]!;
    if (st === store) remembered++;
    const base = s * nSources;
    const fam0 = st.fam0[s]!;
    const more = st.extra[s];
    const nOuts = fam0 === NO_FAMILY ? 0 : more === undefined ? 1 : 1 + more.length;
    let anyReset = false;
    for (let c = 0; c < nSources; c++) {
      const ch = st.curHi[base + c]!;
      const cl = st.curLo[base + c]!;
      reset[c] = 0;
      if (ch === ABSENT && cl === ABSENT) continue;
      const ph = st.lastHi[base + c]!;
      const pl = st.lastLo[base + c]!;
      if (!(ph === ABSENT && pl === ABSENT) && (ch < ph || (ch === ph && cl < pl))) {
        reset[c] = 1;
        prevHi[c] = ph;
        prevLo[c] = pl;
        anyReset = true;
      }
      st.lastHi[base + c] = ch;
      st.lastLo[base + c] = cl;
    }
    const firstOfKey = st.first[s] === 1;
    for (let o = 0; o < nOuts; o++) {
      const fam = o === 0 ? fam0 : more![o - 1]!.fam;
      const text = o === 0 ? st.text0[s]! : more![o - 1]!.text;
      if (once[fam] && !firstOfKey) continue;
      const n = names[fam]!;
      for (let x = 0; x < nSpecs; x++) {
        const spec = specs[x]!;
        const c = spec[1];
        if (!derive(spec, st.curHi[base + c]!, st.curLo[base + c]!)) continue;
        out.add(n[x]!, text, V[0]!, V[1]!);
        if (anyReset && reset[c] === 1 && spec[2] !== 'gauge') {
          resets++;
          if (shown.length < logLimit) {
            shown.push({ switchId: batch.switchId, metric: n[x]!, tags: parseTags(text), previous: valueOf(spec, prevHi[c]!, prevLo[c]!), current: valueOf(spec, V[0]!, V[1]!, true) });
          }
        }
      }
    }
  }
  memory.report(resets, shown, batch.statType, batch.switchId);
  // Stale entries exist only if fewer entries came than are remembered.
  if (remembered < store.size) memory.sweep(store);
  return out;
}

/** A new registry, or a new version of it: every key asks it again (once). */
function restamp(store: Store, registry: FlowRegistry): void {
  const version = registry.version?.() ?? store.gen;
  if (store.registry !== registry || store.version !== version) {
    store.registry = registry;
    store.version = version;
    store.stamp++;
  }
}

function keyOf(m: { wideKey?: boolean }, hi: number, lo: number): Key {
  return m.wideKey === true ? fromHalves(hi, lo) : hi * TWO32 + lo;
}

/** Families that apply, with their tag text. */
function build<E, I, R, C>(m: Mapping<E, I, R, C>, switchId: string, key: Key, answer: R | undefined, d: readonly number[]): Out[] {
  const ctx = m.context(switchId, key, m.decode?.(key) as I, answer, d);
  const outs: Out[] = [];
  m.families.forEach((f, fam) => {
    if (f.when(ctx)) outs.push({ fam, text: formatTags(f.tags(ctx)) });
  });
  return outs;
}

/** The series an entry feeds, as build() gave them. */
function outsOf(st: Store, s: number): Out[] {
  if (st.fam0[s] === NO_FAMILY) return [];
  return [{ fam: st.fam0[s]!, text: st.text0[s]! }, ...(st.extra[s] ?? [])];
}

function sameTexts(a: readonly Out[], b: readonly Out[]): boolean {
  return a.length === b.length && a.every((o, i) => o.fam === b[i]!.fam && o.text === b[i]!.text);
}

/** cur += (hi, lo) for a summed entry; an absent addend changes nothing, an absent sum stays absent. */
function addInto(store: Store, at: number, hi: number, lo: number): void {
  const ch = store.curHi[at]!;
  const cl = store.curLo[at]!;
  if ((ch === ABSENT && cl === ABSENT) || (hi === ABSENT && lo === ABSENT)) return;
  const sumLo = cl + lo;
  const carry = sumLo >= TWO32 ? 1 : 0;
  const sumHi = ch + hi + carry;
  // Past 2⁶⁴ − 2 the sum cannot be a counter: absent rather than wrapped.
  if (sumHi >= TWO32 || (sumHi === ABSENT && sumLo - carry * TWO32 === ABSENT)) {
    store.curHi[at] = ABSENT;
    store.curLo[at] = ABSENT;
    return;
  }
  store.curHi[at] = sumHi;
  store.curLo[at] = sumLo - carry * TWO32;
}

/** The derived value of a spec from its source's halves, left in V; false when there is none. */
const V = new Uint32Array(2);
function derive(spec: CounterSpec, hi: number, lo: number): boolean {
  if (hi === ABSENT && lo === ABSENT) return false;
  if (spec[2] === 'bits') {
    if (hi >= 0x2000_0000) return false; // × 8 leaves 64 bits: not a counter any sink can carry
    V[0] = (hi << 3) | (lo >>> 29);
    V[1] = lo << 3;
  } else {
    V[0] = hi;
    V[1] = lo;
  }
  return true;
}

/** A value for a log line: the source's halves, derived unless they already are. */
function valueOf(spec: CounterSpec, hi: number, lo: number, derived = false): bigint {
  const v = fromHalves(hi, lo);
  return spec[2] === 'bits' && !derived ? v * 8n : v;
}
