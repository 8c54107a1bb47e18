/**
 * Answers of one recorded switch, ready to send: cached message bytes whose xid the sender
 * patches. Without --advance a reply is the captured bytes themselves; with it, a reply is
 * re-encoded at most once per second (all switches sharing a profile share the result, since
 * they all started at the same moment). A multipart request never seen with exactly this body
 * is answered from the "everything" reply of its type, filtered by the request's selectors.
 */
import { OFPG_ALL, OFPM_ALL, OFPMP_NAMES, OFPP, OFPQ_ALL, OFPT, OFPTT_ALL, OFPMPF_REPLY_MORE } from '../../protocol/constants.js';
import { decodeMessage, encodeMessage, type EncodableMessage } from '../../protocol/codec.js';
import { OfEncodeError } from '../../protocol/errors.js';
import { messageTypeOf, multipartTypeOf, withoutReplyMore } from '../../protocol/raw.js';
import { AdvancingReply, canAdvance, pollGapNs, type AdvanceOptions } from './advance.js';
import { keyMultipartType, wildcardKey } from './keys.js';
import type { Answer, Profile } from './recording.js';

export type Served = { kind: 'reply'; parts: readonly Buffer[] } | { kind: 'error'; error: Buffer };

type Entry = Record<string, unknown>;

/**
 * Multipart type → a predicate over reply entries from a request body, or undefined where the
 * request asks for everything. Match fields and out_port/out_group of flow requests are not
 * evaluated: a replayed switch has no flow table to evaluate them against.
 */
const FILTERS: Readonly<Record<string, (req: Entry) => ((e: Entry) => boolean) | undefined>> = {
  FLOW: (r) => {
    const mask = r.cookie_mask as bigint;
    if (r.table_id === OFPTT_ALL && mask === 0n) return undefined;
    return (e) => (r.table_id === OFPTT_ALL || e.table_id === r.table_id) && ((e.cookie as bigint) & mask) === ((r.cookie as bigint) & mask);
  },
  PORT_STATS: (r) => (r.port_no === OFPP.ANY ? undefined : (e) => e.port_no === r.port_no),
  QUEUE: (r) => (r.port_no === OFPP.ANY && r.queue_id === OFPQ_ALL ? undefined
    : (e) => (r.port_no === OFPP.ANY || e.port_no === r.port_no) && (r.queue_id === OFPQ_ALL || e.queue_id === r.queue_id)),
  GROUP: (r) => (r.group_id === OFPG_ALL ? undefined : (e) => e.group_id === r.group_id),
  METER: (r) => (r.meter_id === OFPM_ALL ? undefined : (e) => e.meter_id === r.meter_id),
  METER_CONFIG: (r) => (r.meter_id === OFPM_ALL ? undefined : (e) => e.meter_id === r.meter_id),
};

export interface StoreOptions {
  /** Undefined: serve recorded bytes as they are. */
  advance?: AdvanceOptions;
  /** Wall-clock milliseconds the counters start advancing from. */
  startMs: number;
  now?: () => number;
}

interface Rendered {
  second: number;
  parts: readonly Buffer[];
}

const FILTER_CACHE_MAX = 1024;

export class ReplyStore {
  private readonly advancing = new Map<string, AdvancingReply | null>();
  private readonly rendered = new Map<string, Rendered>();
  private readonly filtered = new Map<string, Rendered>();
  private gapNs: bigint | null | undefined;
  private readonly now: () => number;

  constructor(readonly profile: Profile, private readonly opts: StoreOptions) {
    this.now = opts.now ?? Date.now;
  }

  /** The answer to a request with this key (request = its whole message), or undefined if none was recorded. */
  lookup(key: string, request: Buffer): Served | undefined {
    const a = this.profile.answers.get(key);
    if (a) return a.kind === 'error' ? a : { kind: 'reply', parts: this.current(key, a) };
    const mpType = keyMultipartType(key);
    if (mpType === undefined) return undefined;
    return this.fromOtherBody(mpType, key, request);
  }

  /** Whole seconds since the start: replies change at most once per second. */
  private second(): number {
    return Math.max(0, Math.floor((this.now() - this.opts.startMs) / 1000));
  }

  private current(key: string, a: Extract<Answer, { kind: 'reply' }>): readonly Buffer[] {
    if (!this.opts.advance) return a.parts;
    const adv = this.advancer(key, a);
    if (!adv) return a.parts;
    const second = this.second();
    const hit = this.rendered.get(key);
    if (hit && hit.second === second) return hit.parts;
    const parts = adv.render(BigInt(second) * 1_000_000_000n);
    this.rendered.set(key, { second, parts });
    return parts;
  }

  private advancer(key: string, a: Extract<Answer, { kind: 'reply' }>): AdvancingReply | undefined {
    let adv = this.advancing.get(key);
    if (adv === undefined) {
      const head = a.parts[0]!;
      // Recorded multipart replies always carry their multipart header (load.ts keeps no shorter ones).
      const name = messageTypeOf(head) === OFPT.MULTIPART_REPLY ? (OFPMP_NAMES.get(multipartTypeOf(head)) ?? '') : '';
      adv = canAdvance(name) ? (AdvancingReply.from(a.parts, a.first, this.opts.advance!, this.profileGapNs()) ?? null) : null;
      this.advancing.set(key, adv);
    }
    return adv ?? undefined;
  }

  /** Time between two polls of this switch, for entries without a duration of their own (tables). */
  private profileGapNs(): bigint | undefined {
    if (this.gapNs === undefined) {
      this.gapNs = null;
      for (const a of this.profile.answers.values()) {
        if (a.kind !== 'reply' || !a.first) continue;
        const g = pollGapNs(a.parts, a.first);
        if (g !== undefined) {
          this.gapNs = g;
          break;
        }
      }
    }
    return this.gapNs ?? undefined;
  }

  private fromOtherBody(mpType: number, key: string, request: Buffer): Served | undefined {
    const wk = wildcardKey(mpType);
    let sourceKey: string | undefined = this.profile.answers.has(wk) ? wk : undefined;
    if (sourceKey === undefined) {
      for (const k of this.profile.answers.keys()) if (keyMultipartType(k) === mpType) sourceKey = k;
    }
    if (sourceKey === undefined) return undefined;
    const source = this.profile.answers.get(sourceKey)!;
    if (source.kind === 'error') return source;
    const name = OFPMP_NAMES.get(mpType);
    const make = name === undefined ? undefined : FILTERS[name];
    let pred: ((e: Entry) => boolean) | undefined;
    if (make) {
      try {
        const req = decodeMessage(request) as unknown as { body: Entry[] };
        pred = make(req.body[0] ?? {});
      } catch {
        pred = undefined;
      }
    }
    const parts = this.current(sourceKey, source);
    if (!pred) return { kind: 'reply', parts };
    const second = this.opts.advance ? this.second() : 0;
    const hit = this.filtered.get(key);
    if (hit && hit.second === second) return { kind: 'reply', parts: hit.parts };
    const out = filterParts(parts, pred);
    if (this.filtered.size >= FILTER_CACHE_MAX) this.filtered.clear();
    this.filtered.set(key, { second, parts: out });
    return { kind: 'reply', parts: out };
  }
}

/** The entries of a reply that pass `pred`, re-encoded into as few parts as fit in a message. */
function filterParts(parts: readonly Buffer[], pred: (e: Entry) => boolean): Buffer[] {
  let template: Entry;
  let entries: Entry[];
  try {
    const decoded = parts.map((p) => decodeMessage(p) as unknown as Entry & { body: Entry[] });
    template = decoded[0]!;
    entries = decoded.flatMap((d) => d.body).filter(pred);
  } catch {
    return [...parts];
  }
  const out: Buffer[] = [];
  const encode = (list: Entry[]): void => {
    try {
      out.push(encodeMessage({ ...template, flags: OFPMPF_REPLY_MORE, body: list } as unknown as EncodableMessage));
    } catch (e) {
      if (!(e instanceof OfEncodeError) || list.length < 2) throw e;
      const half = list.length >> 1;
      encode(list.slice(0, half));
      encode(list.slice(half));
    }
  };
  encode(entries);
  out[out.length - 1] = withoutReplyMore(out[out.length - 1]!);
  return out;
}
