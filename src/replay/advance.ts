/**
 * --advance: the counters of a recorded reply grow with wall time. Each counter gets a rate:
 * from two polls in the capture (delta of the counter over the delta of the entry's own
 * duration, which is switch time and needs no capture timestamps), else a default rate for
 * packet and byte counters. Values are computed from the recorded ones, never accumulated, in
 * bigint: value(t) = recorded + num * t / den.
 */
import { decodeMessage, encodeMessage, type EncodableMessage } from '../../protocol/codec.js';
import { toJson } from '../../protocol/json.js';

type Entry = Record<string, unknown>;

/** Multipart type → identity of an entry across two polls. Types not listed have no counters. */
const IDENTITY: Readonly<Record<string, (e: Entry) => string>> = {
  FLOW: (e) => `${e.table_id}/${e.priority}/${e.cookie}/${toJson(e.match)}`,
  AGGREGATE: () => '',
  TABLE: (e) => String(e.table_id),
  PORT_STATS: (e) => String(e.port_no),
  QUEUE: (e) => `${e.port_no}/${e.queue_id}`,
  GROUP: (e) => String(e.group_id),
  METER: (e) => String(e.meter_id),
};

type Kind = 'packets' | 'bytes' | 'other';
/** Every counter field of every stats entry, and what grows it by default. */
const COUNTERS: Readonly<Record<string, Kind>> = {
  packet_count: 'packets', byte_count: 'bytes',
  rx_packets: 'packets', tx_packets: 'packets', rx_bytes: 'bytes', tx_bytes: 'bytes',
  rx_dropped: 'other', tx_dropped: 'other', rx_errors: 'other', tx_errors: 'other',
  rx_frame_err: 'other', rx_over_err: 'other', rx_crc_err: 'other', collisions: 'other',
  lookup_count: 'packets', matched_count: 'packets',
  packet_in_count: 'packets', byte_in_count: 'bytes',
  // A band only counts what exceeds its rate: without two polls there is no telling how much.
  packet_band_count: 'other', byte_band_count: 'other',
};
/** A bytes counter's packet counter, for the default packet size. */
const PACKETS_OF: Readonly<Record<string, string>> = {
  byte_count: 'packet_count', rx_bytes: 'rx_packets', tx_bytes: 'tx_packets', byte_in_count: 'packet_in_count',
};
/** Lists of counters inside an entry, matched by position across polls. */
const NESTED = ['bucket_stats', 'band_stats'] as const;

const NS = 1_000_000_000n;
const DEFAULT_PACKET_BYTES = 64n;

interface Slot {
  obj: Entry;
  field: string;
  base: bigint;
  num: bigint;
  den: bigint;
}
interface DurationSlot {
  obj: Entry;
  baseNs: bigint;
}

export interface AdvanceOptions {
  /** Packets per second per entry where the capture gives no rate. */
  defaultPps: bigint;
}

export function canAdvance(mpTypeName: string): boolean {
  return IDENTITY[mpTypeName] !== undefined;
}

type Reply = { multipart_type: string; body: Entry[] };

/** Decoded parts, or undefined when a part does not decode (then it is served as recorded). */
function decodeParts(parts: readonly Buffer[]): Reply[] | undefined {
  try {
    return parts.map((p) => decodeMessage(p) as unknown as Reply);
  } catch {
    return undefined;
  }
}

const durationNs = (e: Entry): bigint | undefined =>
  typeof e.duration_sec === 'number' ? BigInt(e.duration_sec) * NS + BigInt(e.duration_nsec as number) : undefined;

/**
 * Per-entry time between the two polls (from durations), for callers that need a fallback for
 * entries without a duration of their own (tables, aggregates). Undefined without a usable pair.
 */
export function pollGapNs(parts: readonly Buffer[], first: readonly Buffer[] | undefined): bigint | undefined {
  if (!first) return undefined;
  const a = decodeParts(first);
  const b = decodeParts(parts);
  if (!a || !b || a.length === 0 || b.length === 0) return undefined;
  const id = IDENTITY[b[0]!.multipart_type];
  if (!id) return undefined;
  const before = new Map(a.flatMap((r) => r.body).map((e) => [id(e), e] as const));
  const gaps: bigint[] = [];
  for (const e of b.flatMap((r) => r.body)) {
    const p = before.get(id(e));
    const d1 = p && durationNs(p);
    const d2 = durationNs(e);
    if (d1 !== undefined && d2 !== undefined && d2 > d1) gaps.push(d2 - d1);
  }
  if (gaps.length === 0) return undefined;
  gaps.sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
  return gaps[gaps.length >> 1];
}

/** One recorded reply that can be re-rendered at any elapsed time. */
export class AdvancingReply {
  private readonly slots: Slot[] = [];
  private readonly durations: DurationSlot[] = [];

  private constructor(private readonly decoded: Reply[]) {}

  /**
   * @param fallbackGapNs time between the two polls for entries that carry no duration.
   * Undefined when the reply cannot be advanced (unknown type, undecodable part).
   */
  static from(parts: readonly Buffer[], first: readonly Buffer[] | undefined, opts: AdvanceOptions, fallbackGapNs?: bigint): AdvancingReply | undefined {
    const decoded = decodeParts(parts);
    if (!decoded || decoded.length === 0) return undefined;
    const id = IDENTITY[decoded[0]!.multipart_type];
    if (!id) return undefined;
    const earlier = first ? decodeParts(first) : undefined;
    const before = new Map((earlier ?? []).flatMap((r) => r.body).map((e) => [id(e), e] as const));
    const r = new AdvancingReply(decoded);
    for (const e of decoded.flatMap((x) => x.body)) {
      const prev = before.get(id(e));
      const d2 = durationNs(e);
      const d1 = prev && durationNs(prev);
      const gap = d2 !== undefined && d1 !== undefined ? (d2 > d1 ? d2 - d1 : undefined) : fallbackGapNs;
      r.addEntry(e, prev, gap, opts);
      if (d2 !== undefined) r.durations.push({ obj: e, baseNs: d2 });
    }
    return r;
  }

  private addEntry(e: Entry, prev: Entry | undefined, gapNs: bigint | undefined, opts: AdvanceOptions): void {
    for (const [field, kind] of Object.entries(COUNTERS)) {
      const v = e[field];
      if (typeof v !== 'bigint') continue;
      const p = prev?.[field];
      if (typeof p === 'bigint' && gapNs !== undefined && gapNs > 0n && v >= p) {
        this.slots.push({ obj: e, field, base: v, num: v - p, den: gapNs });
        continue;
      }
      let num = 0n;
      if (kind === 'packets') num = opts.defaultPps;
      else if (kind === 'bytes') {
        const pk = e[PACKETS_OF[field]!];
        const size = typeof pk === 'bigint' && pk > 0n ? v / pk : DEFAULT_PACKET_BYTES;
        num = opts.defaultPps * (size > 0n ? size : DEFAULT_PACKET_BYTES);
      }
      this.slots.push({ obj: e, field, base: v, num, den: NS });
    }
    for (const list of NESTED) {
      const items = e[list];
      if (!Array.isArray(items)) continue;
      const prevItems = prev?.[list];
      items.forEach((it: Entry, i: number) => {
        this.addEntry(it, Array.isArray(prevItems) ? (prevItems[i] as Entry | undefined) : undefined, gapNs, opts);
      });
    }
  }

  /** The reply's parts with every counter and duration moved on by `elapsedNs`. */
  render(elapsedNs: bigint): Buffer[] {
    for (const s of this.slots) s.obj[s.field] = BigInt.asUintN(64, s.base + (s.num * elapsedNs) / s.den);
    for (const d of this.durations) {
      const t = d.baseNs + elapsedNs;
      d.obj.duration_sec = Number(BigInt.asUintN(32, t / NS));
      d.obj.duration_nsec = Number(t % NS);
    }
    return this.decoded.map((m) => encodeMessage(m as unknown as EncodableMessage));
  }
}
