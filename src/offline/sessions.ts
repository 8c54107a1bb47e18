/**
 * The offline pipeline's first half: a capture → the PollBatch objects the scheduler would
 * have handed to the metrics layer, had ofstats been the controller of each recorded session.
 *
 * Per OpenFlow session (a TCP connection; the controller is the side sending requests), as
 * src/connection does live: requests and replies are paired by xid, multipart replies are
 * reassembled across REPLY_MORE, the datapath id comes from FEATURES_REPLY and the port names
 * from the handshake's PORT_DESC and later PORT_STATUS messages. A batch's `arrivedAt` is the
 * capture time of the packet that completed its last reply part. Requests that give no batch
 * (an ERROR, a reply cut off by the end of the session, a part that does not decode, no reply
 * at all) are listed in `unanswered`, never silently dropped.
 */
import { decodeMessage, type OfMessage } from '../../protocol/codec.js';
import { OfDecodeError } from '../../protocol/errors.js';
import { datapathIdOf, FEATURES_REPLY_LEN, isMultipart, multipartTypeOf, peekHeader } from '../../protocol/raw.js';
import { OFP_VERSION, OFPMP_NAMES, OFPMPF_REPLY_MORE, OFPT } from '../../protocol/constants.js';
import { switchIdOfDpid } from '../registry/switch-id.js';
import { STAT_TYPES, type PollBatch, type StatType } from '../scheduler/types.js';
import { BufferSource, FileSource, type ByteSource } from '../capture/byte-source.js';
import { decodeCapture, type StreamPlace } from '../capture/capture-decoder.js';
import { readFrameTimes, type FrameTimes } from '../capture/frame-times.js';

export type UnansweredReason = 'error' | 'cut-off' | 'no-reply' | 'undecodable' | 'mismatch' | 'no-datapath-id';

/** A stat request that yields no batch, and why. */
export interface Unanswered {
  session: string;
  /** The switch, when the session's FEATURES_REPLY was captured. */
  switchId?: string;
  xid: number;
  /** The multipart type's name (a StatType, or another multipart type). */
  multipartType: string;
  reason: UnansweredReason;
  /** For people: the ERROR's type/code, how many parts arrived... */
  detail: string;
  /** Frame of the request. */
  frame: number;
}

export interface SessionSummary {
  /** `controller ip:port <-> switch ip:port`. */
  name: string;
  dpid?: bigint;
  switchId?: string;
  batches: number;
  unanswered: number;
}

export interface CaptureBatches {
  /** In the order their last reply part arrived in the capture. */
  batches: PollBatch[];
  /** How many MULTIPART_REPLY messages each batch was reassembled from (same order as batches). */
  parts: number[];
  unanswered: Unanswered[];
  sessions: SessionSummary[];
  /** Notes about the capture itself (gaps, cut-off messages, sessions not in OpenFlow 1.3). */
  notices: string[];
}

export interface SessionOptions {
  /**
   * Datapath ids for sessions whose FEATURES_REPLY is not in the capture (it started after
   * the handshake): by the switch's `ip:port`, or `*` for any such session.
   */
  dpids?: Readonly<Record<string, bigint>>;
}

const STAT_TYPE_SET: ReadonlySet<string> = new Set(STAT_TYPES);
/** Replies the connection consumes during its handshake: they never reach the scheduler. */
const HANDSHAKE_TYPES: ReadonlySet<string> = new Set(['DESC', 'PORT_DESC']);

interface Pending {
  xid: number;
  mpType: number;
  name: string;
  frame: number;
  entries: unknown[];
  parts: number;
}

type Incoming = OfMessage & Record<string, unknown>;

/** One TCP connection between a controller and a switch, followed message by message. */
class Session {
  controller: string | undefined;
  dpid: bigint | undefined;
  readonly ports = new Map<number, string>();
  private handshakeDone = false;
  private readonly pending = new Map<number, Pending>();
  batches = 0;
  unanswered = 0;
  otherVersion = 0;

  constructor(
    readonly ends: readonly [string, string],
    private readonly out: CaptureBatches,
    private readonly opts: SessionOptions,
  ) {}

  /** The switch's end, once the controller is known. */
  private get switchEnd(): string | undefined {
    const c = this.controller;
    return c === undefined ? undefined : this.ends[0] === c ? this.ends[1] : this.ends[0];
  }

  /** FEATURES_REPLY's datapath id, or the one given for this session. */
  private get datapathId(): bigint | undefined {
    if (this.dpid !== undefined) return this.dpid;
    const d = this.opts.dpids;
    return d === undefined ? undefined : (d[this.switchEnd ?? ''] ?? d['*']);
  }

  get name(): string {
    const c = this.controller;
    return c === undefined ? this.ends.join(' <-> ') : `controller ${c} <-> switch ${this.switchEnd}`;
  }

  /** A HELLO once the handshake has happened: the address pair carries a new connection. */
  restarts(bytes: Buffer): boolean {
    return bytes[1] === OFPT.HELLO && this.dpid !== undefined;
  }

  message(bytes: Buffer, at: StreamPlace, arrivedAt: number): void {
    const { version, type, xid } = peekHeader(bytes);
    if (version !== OFP_VERSION) {
      // Version negotiation HELLOs may carry a higher version; anything else is another protocol version.
      if (type !== OFPT.HELLO) this.otherVersion++;
      return;
    }
    if (type === OFPT.MULTIPART_REQUEST || type === OFPT.FEATURES_REQUEST) this.controller ??= at.src;
    if (type === OFPT.MULTIPART_REQUEST) {
      if (at.src !== this.controller || !isMultipart(bytes)) return;
      const mpType = multipartTypeOf(bytes);
      this.pending.set(xid, { xid, mpType, name: OFPMP_NAMES.get(mpType) ?? String(mpType), frame: at.frame, entries: [], parts: 0 });
      return;
    }
    if (this.controller === undefined || at.src === this.controller) return;
    if (type === OFPT.FEATURES_REPLY && bytes.length >= FEATURES_REPLY_LEN) {
      this.dpid = datapathIdOf(bytes);
    } else if (type === OFPT.PORT_STATUS) {
      this.portStatus(bytes);
    } else if (type === OFPT.MULTIPART_REPLY || type === OFPT.ERROR) {
      const p = this.pending.get(xid);
      if (p === undefined) return;
      if (type === OFPT.ERROR) this.errorReply(p, bytes);
      else this.part(p, bytes, arrivedAt);
    }
  }

  private part(p: Pending, bytes: Buffer, arrivedAt: number): void {
    const mpType = isMultipart(bytes) ? multipartTypeOf(bytes) : undefined;
    if (mpType !== p.mpType) {
      const got = mpType === undefined ? 'a short MULTIPART_REPLY' : `MULTIPART_REPLY ${OFPMP_NAMES.get(mpType) ?? mpType}`;
      this.fail(p, 'mismatch', `expected MULTIPART_REPLY ${p.name}, got ${got}`);
      return;
    }
    let m: Incoming;
    try {
      m = decodeMessage(bytes) as Incoming;
    } catch (e) {
      if (!(e instanceof OfDecodeError)) throw e;
      this.fail(p, 'undecodable', `part ${p.parts + 1} does not decode: ${e.message}`);
      return;
    }
    for (const e of m.body as unknown[]) p.entries.push(e);
    p.parts++;
    if (((m.flags as number) & OFPMPF_REPLY_MORE) !== 0) return;
    this.pending.delete(p.xid);
    this.complete(p, arrivedAt);
  }

  private complete(p: Pending, arrivedAt: number): void {
    if (!this.handshakeDone && HANDSHAKE_TYPES.has(p.name)) {
      if (p.name === 'PORT_DESC') {
        this.handshakeDone = true;
        this.ports.clear();
        for (const e of p.entries as { port_no: number; name: string }[]) this.ports.set(e.port_no, e.name);
      }
      return;
    }
    if (!STAT_TYPE_SET.has(p.name)) return;
    const dpid = this.datapathId;
    if (dpid === undefined) {
      this.fail(p, 'no-datapath-id', 'the capture holds no FEATURES_REPLY for this session (give its datapath id)');
      return;
    }
    this.out.batches.push({
      switchId: switchIdOfDpid(dpid),
      dpid,
      statType: p.name as StatType,
      arrivedAt,
      entries: p.entries,
      ports: new Map(this.ports),
    });
    this.out.parts.push(p.parts);
    this.batches++;
  }

  private errorReply(p: Pending, bytes: Buffer): void {
    let detail = 'ERROR';
    try {
      const m = decodeMessage(bytes) as Incoming;
      detail = `ERROR ${String(m.error_type_name ?? m.error_type)}/${String(m.code_name ?? m.code ?? m.exp_type)}`;
    } catch (e) {
      if (!(e instanceof OfDecodeError)) throw e;
      detail = `an undecodable ERROR (${e.message})`;
    }
    this.fail(p, 'error', `switch answered ${detail}`);
  }

  private portStatus(bytes: Buffer): void {
    try {
      const m = decodeMessage(bytes) as Incoming;
      const desc = m.desc as { port_no: number; name: string };
      if (m.reason === 1) this.ports.delete(desc.port_no);
      else this.ports.set(desc.port_no, desc.name);
    } catch (e) {
      if (!(e instanceof OfDecodeError)) throw e;
      this.out.notices.push(`${this.name}: a PORT_STATUS that does not decode (${e.message}), ignored`);
    }
  }

  private fail(p: Pending, reason: UnansweredReason, detail: string): void {
    this.pending.delete(p.xid);
    this.unanswered++;
    this.out.unanswered.push({
      session: this.name,
      ...(this.datapathId !== undefined ? { switchId: switchIdOfDpid(this.datapathId) } : {}),
      xid: p.xid, multipartType: p.name, reason, detail, frame: p.frame,
    });
  }

  /** The connection is over: what is still waiting never got (all of) its reply. */
  finish(): void {
    for (const p of [...this.pending.values()]) {
      if (p.parts > 0) this.fail(p, 'cut-off', `the session ended after ${p.parts} part(s) (${p.entries.length} entries) of the reply, the last still announcing more`);
      else this.fail(p, 'no-reply', 'the session ended before any reply');
    }
    if (this.otherVersion > 0) this.out.notices.push(`${this.name}: ${this.otherVersion} message(s) in another OpenFlow version than 1.3, skipped`);
    this.out.sessions.push({
      name: this.name,
      ...(this.datapathId !== undefined ? { dpid: this.datapathId, switchId: switchIdOfDpid(this.datapathId) } : {}),
      batches: this.batches,
      unanswered: this.unanswered,
    });
  }
}

/**
 * Every poll in a capture file (pcap or pcapng). The file is read twice: once for the
 * packets' timestamps, once for the OpenFlow sessions. Throws CaptureError for a file that
 * is not a capture.
 */
export function batchesFromCaptureFile(path: string, opts: SessionOptions = {}): CaptureBatches {
  const t = new FileSource(path);
  let times: FrameTimes;
  try {
    times = readFrameTimes(t);
  } finally {
    t.close();
  }
  const src = new FileSource(path);
  try {
    return batchesFrom(src, times, opts);
  } finally {
    src.close();
  }
}

/** The same from a capture held in memory. */
export function batchesFromCapture(buf: Buffer, opts: SessionOptions = {}): CaptureBatches {
  return batchesFrom(new BufferSource(buf), readFrameTimes(new BufferSource(buf)), opts);
}

function batchesFrom(src: ByteSource, times: FrameTimes, opts: SessionOptions): CaptureBatches {
  const out: CaptureBatches = { batches: [], parts: [], unanswered: [], sessions: [], notices: [] };
  const open = new Map<string, Session>();
  const head = src.take(4);
  // Packets without a time of their own (simple packet blocks) take the last time seen.
  let lastTime = 0;
  decodeCapture(src, head, {
    message(bytes, at) {
      const ends = [at.src, at.dst].sort() as [string, string];
      const key = ends.join(' ');
      let s = open.get(key);
      if (s !== undefined && s.restarts(bytes)) {
        s.finish();
        s = undefined;
      }
      if (s === undefined) open.set(key, (s = new Session(ends, out, opts)));
      // The reader stands at the end of the packet being processed: the one completing this message.
      lastTime = times.timeAt(src.position) ?? lastTime;
      s.message(bytes, at, lastTime);
    },
    badLength: (_h, at) => out.notices.push(`${at.src} -> ${at.dst}: message with a length below 8 in frame ${at.frame}, stream resynchronised`),
    notice: (text) => out.notices.push(text),
  });
  for (const s of open.values()) s.finish();
  if (times.untimed > 0) out.notices.push(`${times.untimed} packet(s) carry no timestamp (pcapng simple packet blocks)`);
  return out;
}
