/**
 * What ofstats remembers between polls, per switch and stat type: for every stats entry seen
 * (a rule, meter, group, port or table), the series it feeds (as line-protocol tag text) and
 * its last counter values. Two uses: a counter that went backwards is a reset, and a
 * 100,000-rule poll reuses its series instead of building their tags again.
 *
 * Laid out as columns (TupleIndex ids into typed arrays) rather than an object per entry: a
 * remembered flow rule costs the tag text of its series and ~100 bytes besides (it was
 * ~0.9 KB as objects and bigints; docs/profile.md), and a steady poll allocates nothing here.
 *
 * Bounded three ways: a switch's memory goes when it disconnects (forgetSwitch); an entry the
 * switch stopped reporting is forgotten after `forgetAfterPolls` polls of its stat type; and
 * at most `maxEntries` entries are kept in all. Past the cap, new entries are still mapped
 * (every point is written) but not remembered, so their resets go unseen; a warning says so
 * once. Default cap 2,000,000 entries (config `limits.maxSeries`).
 */
import type { StatType } from '../scheduler/types.js';
import type { PointBatch } from './point-batch.js';
import { ABSENT } from './rows.js';
import { TupleIndex } from './tuple-index.js';

/** pino's shape, so the process logger can be passed as is. */
export interface ResetLogger {
  warn(obj: object, msg: string): void;
}

export interface SeriesMemoryOptions {
  logger?: ResetLogger;
  /** An entry absent from this many polls in a row is forgotten (default 3). */
  forgetAfterPolls?: number;
  /** Entries remembered over all switches (default 2,000,000). */
  maxEntries?: number;
  /** Resets logged one by one per poll; the rest are summed up in one line (default 20). */
  logPerPoll?: number;
}

/** One series family an entry feeds (`flow.raw` with its tags, as text). */
export interface Out {
  readonly fam: number;
  /** The tags' line-protocol text (`,k=v,...`), made once per series. */
  readonly text: string;
}

/** fam0 of an entry that feeds no series family. */
export const NO_FAMILY = 255;

export interface ResetEvent {
  switchId: string;
  metric: string;
  tags: Readonly<Record<string, string>>;
  previous: bigint;
  current: bigint;
}

/**
 * One switch's entries of one stat type. Keys (cookie, meter id...) and entries (a key with
 * its discriminators) are two indexes; per-id data lives in the parallel arrays below.
 */
export class Store {
  gen = 0;
  /** Registry identity and version the remembered answers came from; a change bumps stamp. */
  registry: unknown = undefined;
  version: unknown = undefined;
  stamp = 0;

  readonly keys = new TupleIndex();
  /** Per key: the poll that last saw it, the registry stamp of its answer, the answer. */
  keyGen = new Int32Array(16);
  keyStamp = new Int32Array(16).fill(-1);
  keyAnswer: unknown[] = [];

  readonly entries = new TupleIndex();
  /** Per entry: the poll that last saw it; whether it was its key's first entry in that poll. */
  seen = new Int32Array(16);
  first = new Uint8Array(16);
  /** Per entry and source counter: this poll's and the last poll's value halves. */
  curHi: Uint32Array;
  curLo: Uint32Array;
  lastHi: Uint32Array;
  lastLo: Uint32Array;
  /**
   * Per entry, its series: whether they are built, the first one's family and tag text (NO_FAMILY:
   * the entry feeds none) and any further ones, and the registry answer they were built from.
   * The first series lives in columns, not in an object in an array: ~90 bytes less per rule.
   */
  built = new Uint8Array(16);
  fam0 = new Uint8Array(16);
  text0: (string | undefined)[] = [];
  extra: (readonly Out[] | undefined)[] = [];
  ref: unknown[] = [];

  constructor(readonly sources: number) {
    const w = this.seen.length * sources;
    this.curHi = new Uint32Array(w);
    this.curLo = new Uint32Array(w);
    this.lastHi = new Uint32Array(w);
    this.lastLo = new Uint32Array(w);
  }

  get size(): number {
    return this.entries.size;
  }

  /** Entry s has no last values (new, or its series changed): nothing to compare with. */
  forgetLast(s: number): void {
    const w = this.sources;
    this.lastHi.fill(ABSENT, s * w, s * w + w);
    this.lastLo.fill(ABSENT, s * w, s * w + w);
  }

  /** Room in the per-key arrays for key id k. */
  ensureKey(k: number): void {
    if (k < this.keyGen.length) return;
    const n = Math.max(this.keys.capacity, k + 1);
    this.keyGen = grown(this.keyGen, n);
    this.keyStamp = grown(this.keyStamp, n, -1);
  }

  /** Room in the per-entry arrays for entry id s. */
  ensureEntry(s: number): void {
    if (s < this.seen.length) return;
    const n = Math.max(this.entries.capacity, s + 1);
    this.seen = grown(this.seen, n);
    this.first = grown(this.first, n);
    this.built = grown(this.built, n);
    this.fam0 = grown(this.fam0, n);
    const w = this.seen.length * this.sources;
    this.curHi = grown(this.curHi, w);
    this.curLo = grown(this.curLo, w);
    this.lastHi = grown(this.lastHi, w);
    this.lastLo = grown(this.lastLo, w);
  }

  /** Forget entries last seen before poll `oldest`, and keys left with no entry. Returns how many entries went. */
  forgetBefore(oldest: number): number {
    const before = this.entries.size;
    const seen = this.seen;
    const map = this.entries.compact((s) => seen[s]! >= oldest);
    const gone = before - this.entries.size;
    if (gone === 0) return 0;
    const w = this.sources;
    const keyUsed = new Uint8Array(this.keys.size);
    for (let s = 0; s < before; s++) {
      const to = map[s]!;
      if (to < 0) continue;
      keyUsed[this.entries.field(to, 0)] = 1;
      if (to === s) continue;
      this.seen[to] = this.seen[s]!;
      this.first[to] = this.first[s]!;
      this.curHi.copyWithin(to * w, s * w, s * w + w);
      this.curLo.copyWithin(to * w, s * w, s * w + w);
      this.lastHi.copyWithin(to * w, s * w, s * w + w);
      this.lastLo.copyWithin(to * w, s * w, s * w + w);
      this.built[to] = this.built[s]!;
      this.fam0[to] = this.fam0[s]!;
      this.text0[to] = this.text0[s];
      this.extra[to] = this.extra[s];
      this.ref[to] = this.ref[s];
    }
    this.text0.length = this.entries.size;
    this.extra.length = this.entries.size;
    this.ref.length = this.entries.size;
    const keysBefore = this.keys.size;
    const kmap = this.keys.compact((k) => keyUsed[k] === 1);
    if (this.keys.size !== keysBefore) {
      for (let k = 0; k < keysBefore; k++) {
        const to = kmap[k]!;
        if (to < 0 || to === k) continue;
        this.keyGen[to] = this.keyGen[k]!;
        this.keyStamp[to] = this.keyStamp[k]!;
        this.keyAnswer[to] = this.keyAnswer[k];
      }
      this.keyAnswer.length = this.keys.size;
      // Entry tuples name their key by id.
      this.entries.remapField(0, kmap);
    }
    return gone;
  }
}

function grown<T extends Int32Array | Uint32Array | Uint8Array>(a: T, n: number, fill = 0): T {
  const b = new (a.constructor as new (n: number) => T)(Math.max(n, a.length * 2));
  b.set(a);
  if (fill !== 0) b.fill(fill as never, a.length);
  return b;
}

export class SeriesMemory {
  readonly forgetAfterPolls: number;
  readonly maxEntries: number;
  private readonly logger: ResetLogger | undefined;
  private readonly logPerPoll: number;
  private readonly switches = new Map<string, Map<StatType, Store>>();
  private total = 0;
  private capWarned = false;
  /** Series seen going backwards since start (`ofstats.counter.resets`). */
  resets = 0;
  /**
   * The last mapping's batch, refilled by the next one, and its scratch (PointBatch: sinks keep
   * no reference). One for all switches, not one per switch: a batch per switch and stat type
   * held ~70 MB at 1,000 switches.
   */
  batch: PointBatch | undefined;
  touched = new Int32Array(16);

  constructor(opts: SeriesMemoryOptions = {}) {
    this.logger = opts.logger;
    this.forgetAfterPolls = Math.max(1, opts.forgetAfterPolls ?? 3);
    this.maxEntries = Math.max(0, opts.maxEntries ?? 2_000_000);
    this.logPerPoll = Math.max(0, opts.logPerPoll ?? 20);
  }

  /** Entries remembered over all switches. */
  get size(): number {
    return this.total;
  }

  store(switchId: string, statType: StatType, sources: number): Store {
    let bySwitch = this.switches.get(switchId);
    if (bySwitch === undefined) this.switches.set(switchId, (bySwitch = new Map()));
    let store = bySwitch.get(statType);
    if (store === undefined || store.sources !== sources) bySwitch.set(statType, (store = new Store(sources)));
    return store;
  }

  /** A disconnected switch: its counters start over whenever it comes back. */
  forgetSwitch(switchId: string): void {
    const bySwitch = this.switches.get(switchId);
    if (bySwitch === undefined) return;
    for (const store of bySwitch.values()) this.total -= store.size;
    this.switches.delete(switchId);
  }

  /** Room for one more entry? Warns once when the cap is first reached. */
  admit(switchId: string): boolean {
    if (this.total < this.maxEntries) {
      this.total++;
      return true;
    }
    if (!this.capWarned) {
      this.capWarned = true;
      this.logger?.warn({ switchId, maxEntries: this.maxEntries },
        'series memory full: further entries are written but not remembered (no reset detection for them)');
    }
    return false;
  }

  /** Drop the entries of a store not seen for forgetAfterPolls polls. */
  sweep(store: Store): void {
    this.total -= store.forgetBefore(store.gen - this.forgetAfterPolls + 1);
  }

  /** Resets logged one by one per poll; more than that are only counted. */
  get logLimit(): number {
    return this.logger === undefined ? 0 : this.logPerPoll;
  }

  /**
   * One poll's resets: `count` in all, of which `shown` (at most logLimit) were made into
   * events; logged one per series, the rest summed up in one line.
   */
  report(count: number, shown: readonly ResetEvent[], statType: StatType, switchId: string): void {
    if (count === 0) return;
    this.resets += count;
    if (this.logger === undefined) return;
    for (const e of shown) {
      // bigint is not JSON: the values go to the log as decimal strings.
      this.logger.warn({
        switchId: e.switchId, metric: e.metric, tags: e.tags, previous: e.previous.toString(), current: e.current.toString(),
      }, 'counter went backwards: counted as a reset');
    }
    if (count > shown.length) {
      this.logger.warn({ switchId, statType, more: count - shown.length },
        'more counters went backwards in this poll: counted as resets, not logged one by one');
    }
  }
}
