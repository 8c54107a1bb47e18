/**
 * The one mechanism every stat type's metrics go through. A stat type is described by a
 * Mapping: its counters (counters.ts), how an entry is keyed and looked up in the flow
 * registry, and a table of metric families, each one description: base name, predicate
 * (kind of rule, position on the path...), tag builder. Predicates and tag builders run only
 * when an entry is first seen or its registry answer changes; a steady poll only reads
 * counters and writes points with the remembered tag objects.
 *
 * Several entries mapping to the same series in one reply (same cookie, table and ports but a
 * different match, as OVN's br-int has) are summed into one point: a series has one value per
 * time, and the sum is what its tags describe. A cookie in several tables is several series
 * (tableid), none dropped.
 */
import type { FlowRegistry } from '../registry/types.js';
import type { PollBatch } from '../scheduler/types.js';
import type { CounterSpec } from './counters.js';
import { SeriesMemory, type Bucket, type Out, type ResetEvent, type Slot } from './memory.js';
import { formatTags } from './tag-text.js';
import { metricName, type Point } from './types.js';

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

export type Key = bigint | number;

export interface Mapping<E, I, R, C> {
  readonly counters: readonly CounterSpec<E>[];
  readonly families: readonly Family<C>[];
  key(e: E): Key;
  /** Entries worth no point at all this poll (an empty table). */
  accept?(e: E): boolean;
  /** Fills d with up to three numbers telling apart entries that share a key (flows: table, in port, out port). */
  discriminate?(e: E, d: number[]): void;
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

const scratch = [0, 0, 0];

/** Map one batch: points appended to out, resets reported to the memory. */
export function mapBatch<E, I, R, C>(batch: PollBatch<E>, m: Mapping<E, I, R, C>, opts: Resolved, out: Point[]): void {
  const { memory, registry } = opts;
  const names = m.families.map((f) => m.counters.map(([suffix]) => metricName(opts, `${f.base}.${suffix}`)));
  const specs = m.counters.length;
  const store = memory.store(batch.switchId, batch.statType);
  const gen = ++store.gen;
  const ts = batch.arrivedAt;
  const touched: Slot[] = [];
  const d = scratch;

  for (const e of batch.entries) {
    if (m.accept !== undefined && !m.accept(e)) continue;
    const key = m.key(e);
    let bucket = store.buckets.get(key);
    if (bucket === undefined) {
      bucket = { answer: undefined, gen: 0, slots: undefined };
      store.buckets.set(key, bucket);
    }
    const firstOfKey = bucket.gen !== gen;
    if (firstOfKey) {
      bucket.gen = gen;
      bucket.answer = m.lookup?.(registry, batch.switchId, key);
    }
    d[0] = 0; d[1] = 0; d[2] = 0;
    m.discriminate?.(e, d);
    const slot = slotFor(bucket, d, memory, batch.switchId, store, specs);
    // The memory is full and this key has nothing remembered: keep no empty bucket either.
    if (bucket.slots === undefined) store.buckets.delete(key);
    if (!slot.built || slot.ref !== bucket.answer) {
      rebuild(slot, m, m.context(batch.switchId, key, m.decode?.(key) as I, bucket.answer as R | undefined, d), bucket.answer);
    }
    if (slot.seen === gen) {
      addDuplicate(slot, e, m.counters, out);
      continue;
    }
    slot.seen = gen;
    touched.push(slot);
    slot.at = out.length;
    slot.onceWritten = firstOfKey;
    for (let i = 0; i < specs; i++) slot.cur[i] = m.counters[i]![1](e);
    for (const o of slot.outs) {
      if (o.once && !firstOfKey) continue;
      const n = names[o.fam]!;
      for (let i = 0; i < specs; i++) {
        const value = slot.cur[i];
        if (value !== undefined) out.push({ metric: n[i]!, tags: o.tags, tagText: o.text, value, timestamp: ts });
      }
    }
  }

  const resets = settle(touched, m.counters, names, batch.switchId);
  memory.report(resets, batch.statType);
  // Stale entries exist only if fewer entries came than are remembered.
  if (touched.length < store.slots) memory.sweep(store);
}

function slotFor(bucket: Bucket, d: readonly number[], memory: SeriesMemory, switchId: string, store: { slots: number }, specs: number): Slot {
  const had = bucket.slots;
  if (Array.isArray(had)) {
    for (const s of had) if (s.d0 === d[0] && s.d1 === d[1] && s.d2 === d[2]) return s;
  } else if (had !== undefined && had.d0 === d[0] && had.d1 === d[1] && had.d2 === d[2]) return had;
  const slot: Slot = {
    d0: d[0]!, d1: d[1]!, d2: d[2]!, ref: undefined, built: false, outs: [], seen: 0,
    cur: new Array<bigint | undefined>(specs).fill(undefined), at: 0, onceWritten: false,
  };
  if (memory.admit(switchId)) {
    bucket.slots = had === undefined ? slot : Array.isArray(had) ? had.concat(slot) : [had, slot];
    store.slots++;
  }
  return slot;
}

/** Families that apply, with their tags; last values kept for a series whose tags did not change. */
function rebuild<E, I, R, C>(slot: Slot, m: Mapping<E, I, R, C>, ctx: C, answer: unknown): void {
  const outs: Out[] = [];
  m.families.forEach((f, fam) => {
    if (!f.when(ctx)) return;
    const tags = f.tags(ctx);
    const old = slot.outs.find((o) => o.fam === fam && sameTags(o.tags, tags));
    outs.push(old ?? { fam, tags, text: formatTags(tags), once: f.oncePerKey === true, last: new Array(m.counters.length).fill(undefined) });
  });
  slot.outs = outs.slice(); // exact length: push reserved room for 17 (one array per rule)
  slot.ref = answer;
  slot.built = true;
}

function sameTags(a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): boolean {
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  for (const k of ka) if (a[k] !== b[k]) return false;
  return true;
}

/** A second entry for a series already written this poll: its counters are added to the points. */
function addDuplicate<E>(slot: Slot, e: E, counters: readonly CounterSpec<E>[], out: Point[]): void {
  const added = counters.map(([, read]) => read(e));
  let k = slot.at;
  for (const o of slot.outs) {
    if (o.once && !slot.onceWritten) continue;
    for (let i = 0; i < counters.length; i++) {
      const cur = slot.cur[i];
      if (cur === undefined) continue;
      const plus = added[i];
      const point = out[k++]!;
      if (plus !== undefined) point.value = cur + plus;
    }
  }
  for (let i = 0; i < counters.length; i++) {
    const cur = slot.cur[i];
    const plus = added[i];
    if (cur !== undefined && plus !== undefined) slot.cur[i] = cur + plus;
  }
}

/** Compare this poll's values with the last ones: a counter going backwards is a reset. */
function settle<E>(touched: readonly Slot[], counters: readonly CounterSpec<E>[], names: string[][], switchId: string): ResetEvent[] {
  const events: ResetEvent[] = [];
  for (const slot of touched) {
    for (const o of slot.outs) {
      if (o.once && !slot.onceWritten) continue;
      for (let i = 0; i < counters.length; i++) {
        const current = slot.cur[i];
        if (current === undefined) continue;
        const previous = o.last[i];
        if (previous !== undefined && current < previous && counters[i]![2] !== 'gauge') {
          events.push({ switchId, metric: names[o.fam]![i]!, tags: o.tags, previous, current });
        }
        o.last[i] = current;
      }
    }
  }
  return events;
}
