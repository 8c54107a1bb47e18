/**
 * What ofstats remembers between polls, per switch and stat type: for every stats entry seen
 * (a rule, meter, group, port or table), the series it feeds with their tag objects and last
 * values. Two uses: a counter that went backwards is a reset, and a 100,000-rule poll reuses
 * its tag objects instead of building them again.
 *
 * Bounded three ways: a switch's memory goes when it disconnects (forgetSwitch); an entry the
 * switch stopped reporting is forgotten after `forgetAfterPolls` polls of its stat type; and
 * at most `maxEntries` entries are kept in all. Past the cap, new entries are still mapped
 * (every point is written) but not remembered, so their resets go unseen; a warning says so
 * once. A remembered flow rule costs about 0.9 KB of live heap with its tags and tag text
 * (heap after GC over 1,000,000 rules; docs/profile.md), so the default cap of 2,000,000
 * entries (1,000 switches x 1,000 rules with room; config `limits.maxSeries`) is about 1.8 GB
 * at worst.
 */
import type { StatType } from '../scheduler/types.js';

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

/** One series family an entry feeds (`flow.raw` with its tags) and its last values per counter. */
export interface Out {
  fam: number;
  tags: Readonly<Record<string, string>>;
  /** The tags' line-protocol text, made once with them (Point.tagText). */
  text: string;
  once: boolean;
  last: (bigint | undefined)[];
}

/** One stats entry: told apart from others with the same key by d0..d2 (flows: table, ports). */
export interface Slot {
  d0: number;
  d1: number;
  d2: number;
  /** The registry answer the outs were built from; a different answer rebuilds them. */
  ref: unknown;
  built: boolean;
  outs: Out[];
  seen: number;
  /** This poll's values per counter (summed when several entries share the slot's series). */
  cur: (bigint | undefined)[];
  /** Where this poll's points of the slot start in the output, and whether `once` outs were written. */
  at: number;
  onceWritten: boolean;
}

/** Everything under one key (a cookie, a meter id...): the registry's answer and the entries. */
export interface Bucket {
  answer: unknown;
  gen: number;
  /** Almost always one entry per key: kept bare, not in an array (~56 bytes per rule). */
  slots: Slot | Slot[] | undefined;
}

export interface Store {
  buckets: Map<bigint | number, Bucket>;
  gen: number;
  slots: number;
}

export interface ResetEvent {
  switchId: string;
  metric: string;
  tags: Readonly<Record<string, string>>;
  previous: bigint;
  current: bigint;
}

export class SeriesMemory {
  readonly forgetAfterPolls: number;
  readonly maxEntries: number;
  private readonly logger: ResetLogger | undefined;
  private readonly logPerPoll: number;
  private readonly switches = new Map<string, Map<StatType, Store>>();
  private entries = 0;
  private capWarned = false;
  /** Series seen going backwards since start (`ofstats.counter.resets`). */
  resets = 0;

  constructor(opts: SeriesMemoryOptions = {}) {
    this.logger = opts.logger;
    this.forgetAfterPolls = Math.max(1, opts.forgetAfterPolls ?? 3);
    this.maxEntries = Math.max(0, opts.maxEntries ?? 2_000_000);
    this.logPerPoll = Math.max(0, opts.logPerPoll ?? 20);
  }

  /** Entries remembered over all switches. */
  get size(): number {
    return this.entries;
  }

  store(switchId: string, statType: StatType): Store {
    let bySwitch = this.switches.get(switchId);
    if (bySwitch === undefined) this.switches.set(switchId, (bySwitch = new Map()));
    let store = bySwitch.get(statType);
    if (store === undefined) bySwitch.set(statType, (store = { buckets: new Map(), gen: 0, slots: 0 }));
    return store;
  }

  /** A disconnected switch: its counters start over whenever it comes back. */
  forgetSwitch(switchId: string): void {
    const bySwitch = this.switches.get(switchId);
    if (bySwitch === undefined) return;
    for (const store of bySwitch.values()) this.entries -= store.slots;
    this.switches.delete(switchId);
  }

  /** Room for one more entry? Warns once when the cap is first reached. */
  admit(switchId: string): boolean {
    if (this.entries < this.maxEntries) {
      this.entries++;
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
    const oldest = store.gen - this.forgetAfterPolls;
    for (const [key, bucket] of store.buckets) {
      const all = bucket.slots === undefined ? [] : Array.isArray(bucket.slots) ? bucket.slots : [bucket.slots];
      const kept = all.filter((s) => s.seen > oldest);
      const gone = all.length - kept.length;
      if (gone === 0) continue;
      store.slots -= gone;
      this.entries -= gone;
      if (kept.length === 0) store.buckets.delete(key);
      else bucket.slots = kept.length === 1 ? kept[0] : kept;
    }
  }

  /** One poll's resets: counted, and logged one per series up to logPerPoll, then summed up. */
  report(events: readonly ResetEvent[], statType: StatType): void {
    if (events.length === 0) return;
    this.resets += events.length;
    if (this.logger === undefined) return;
    const shown = Math.min(events.length, this.logPerPoll);
    for (let i = 0; i < shown; i++) {
      const e = events[i]!;
      // bigint is not JSON: the values go to the log as decimal strings.
      this.logger.warn({
        switchId: e.switchId, metric: e.metric, tags: e.tags, previous: e.previous.toString(), current: e.current.toString(),
      }, 'counter went backwards: counted as a reset');
    }
    if (events.length > shown) {
      this.logger.warn({ switchId: events[0]!.switchId, statType, more: events.length - shown },
        'more counters went backwards in this poll: counted as resets, not logged one by one');
    }
  }
}
