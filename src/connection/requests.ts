/**
 * Requests to one switch: xids, replies matched by xid, multipart reassembly across
 * REPLY_MORE, ERROR replies routed to the request they answer, a timeout per request, a cap on
 * requests outstanding at the switch (a weak switch CPU answers one at a time anyway) and a
 * bounded FIFO for the rest. Knows nothing about sockets: it is given a send function.
 */
import type { MultipartTypeName } from '../../protocol/constants.js';
import { FlowStatsColumns } from '../../protocol/fast/flow-stats-columns.js';
import { build, read, type Incoming } from './messages.js';
import { RequestError } from './failure.js';
import type { MultipartResult } from './types.js';

export interface RequestLimits {
  maxOutstanding: number;
  /** Requests waiting beyond the outstanding ones; more than this are rejected at once. */
  maxQueued: number;
  timeoutMs: number;
}

type Reply =
  | { kind: 'single'; expect: string; resolve: (m: Incoming) => void }
  | {
    kind: 'multipart';
    multipartType: string;
    lean: boolean;
    entries: unknown[];
    /** A lean FLOW request's columns, made when its first part arrives. */
    flows: FlowStatsColumns | undefined;
    parts: number;
    resolve: (r: MultipartResult) => void;
  };

interface Request {
  label: string;
  encode: (xid: number) => Buffer;
  timeoutMs: number;
  reply: Reply;
  reject: (e: RequestError) => void;
  xid?: number;
  timer?: NodeJS.Timeout;
}

export class RequestTracker {
  private readonly pending = new Map<number, Request>();
  private readonly queue: Request[] = [];
  private closedReason: string | undefined;
  /** Entries of the last lean FLOW reply: the next one's columns start that size (rule sets change slowly). */
  private lastFlowCount = 0;

  constructor(
    private readonly limits: RequestLimits,
    private readonly nextXid: () => number,
    private readonly send: (bytes: Buffer) => void,
  ) {
    if (!(limits.maxOutstanding >= 1)) throw new RangeError('maxOutstanding must be >= 1');
  }

  /** A request answered by one message of type `expect` (FEATURES_REPLY, ROLE_REPLY...). */
  single(label: string, encode: (xid: number) => Buffer, expect: string, timeoutMs?: number): Promise<Incoming> {
    return new Promise((resolve, reject) => {
      this.enqueue({ label, encode, timeoutMs: timeoutMs ?? this.limits.timeoutMs, reply: { kind: 'single', expect, resolve }, reject });
    });
  }

  multipart(type: MultipartTypeName, body: readonly unknown[], timeoutMs?: number, lean = false): Promise<MultipartResult> {
    return new Promise((resolve, reject) => {
      this.enqueue({
        label: `MULTIPART ${type}`,
        encode: (xid) => build.multipartRequest(xid, type, body),
        timeoutMs: timeoutMs ?? this.limits.timeoutMs,
        reply: { kind: 'multipart', multipartType: type, lean, entries: [], flows: undefined, parts: 0, resolve },
        reject,
      });
    });
  }

  get outstanding(): number {
    return this.pending.size;
  }

  get queued(): number {
    return this.queue.length;
  }

  isPending(xid: number): boolean {
    return this.pending.has(xid);
  }

  /**
   * Where the parts of the reply with this xid are to be scanned, if its request asked for the
   * lean FLOW scan: one columns object for all of them. Undefined for any other reply.
   */
  leanColumns(xid: number): FlowStatsColumns | undefined {
    const r = this.pending.get(xid)?.reply;
    if (r === undefined || r.kind !== 'multipart' || !r.lean) return undefined;
    // A little room over the last reply's size, so one rule more does not double the columns.
    r.flows ??= new FlowStatsColumns(this.lastFlowCount + (this.lastFlowCount >> 4) + 16);
    return r.flows;
  }

  private enqueue(r: Request): void {
    if (this.closedReason !== undefined) {
      r.reject(new RequestError('disconnected', `${r.label}: switch not connected (${this.closedReason})`));
      return;
    }
    if (this.pending.size < this.limits.maxOutstanding) {
      this.dispatch(r);
      return;
    }
    if (this.queue.length >= this.limits.maxQueued) {
      r.reject(new RequestError('refused', `${r.label}: ${this.queue.length} requests already waiting for this switch`));
      return;
    }
    this.queue.push(r);
  }

  private dispatch(r: Request): void {
    const xid = this.nextXid();
    let bytes: Buffer;
    try {
      bytes = r.encode(xid);
      this.send(bytes);
    } catch (e) {
      r.reject(e instanceof RequestError ? e : new RequestError('refused', `${r.label}: ${(e as Error).message}`));
      this.pump();
      return;
    }
    r.xid = xid;
    r.timer = setTimeout(() => this.settle(xid, new RequestError('timeout', `${r.label} xid=${xid}: no reply within ${r.timeoutMs} ms`)), r.timeoutMs);
    this.pending.set(xid, r);
  }

  private pump(): void {
    while (this.closedReason === undefined && this.pending.size < this.limits.maxOutstanding && this.queue.length > 0) {
      this.dispatch(this.queue.shift()!);
    }
  }

  /** Finish request `xid` with an error, or (err undefined) having resolved it already. */
  private settle(xid: number, err?: RequestError): void {
    const r = this.pending.get(xid);
    if (!r) return;
    this.pending.delete(xid);
    clearTimeout(r.timer);
    if (err) r.reject(err);
    this.pump();
  }

  /**
   * Offer a received message; true when it answered one of our requests. A reply of an
   * unexpected type for a pending xid fails that request rather than being taken as its answer.
   */
  handle(m: Incoming): boolean {
    const r = this.pending.get(m.xid);
    if (!r) return false;
    if (m.type === 'ERROR') {
      const { errorType, errorCode } = read.errorNames(m);
      this.settle(m.xid, new RequestError('error-reply', `${r.label} xid=${m.xid}: switch answered ERROR ${errorType}/${errorCode}`, errorType, errorCode));
      return true;
    }
    const rep = r.reply;
    if (rep.kind === 'single') {
      if (m.type !== rep.expect) {
        this.settle(m.xid, new RequestError('error-reply', `${r.label} xid=${m.xid}: expected ${rep.expect}, got ${m.type}`));
        return true;
      }
      this.settle(m.xid);
      rep.resolve(m);
      return true;
    }
    const part = m.type === 'MULTIPART_REPLY' ? read.multipart(m) : undefined;
    if (!part || part.multipartType !== rep.multipartType) {
      const got = part ? `MULTIPART_REPLY ${String(part.multipartType)}` : m.type;
      this.settle(m.xid, new RequestError('error-reply', `${r.label} xid=${m.xid}: expected MULTIPART_REPLY ${rep.multipartType}, got ${got}`));
      return true;
    }
    for (const e of part.entries) rep.entries.push(e);
    rep.parts++;
    if (!part.more) {
      this.settle(m.xid);
      if (rep.lean) {
        const flows = rep.flows ?? new FlowStatsColumns(1);
        this.lastFlowCount = flows.length;
        rep.resolve({ entries: rep.entries, flows, arrivedAt: Date.now(), parts: rep.parts });
      } else {
        rep.resolve({ entries: rep.entries, arrivedAt: Date.now(), parts: rep.parts });
      }
    }
    return true;
  }

  /** Fail one pending request (e.g. its reply did not decode). */
  fail(xid: number, err: RequestError): boolean {
    if (!this.pending.has(xid)) return false;
    this.settle(xid, err);
    return true;
  }

  /** The switch went away: every pending and queued request fails, and so does anything asked later. */
  close(reason: string): void {
    if (this.closedReason !== undefined) return;
    this.closedReason = reason;
    const all = [...this.pending.values(), ...this.queue.splice(0)];
    this.pending.clear();
    for (const r of all) {
      clearTimeout(r.timer);
      r.reject(new RequestError('disconnected', `${r.label}: switch disconnected (${reason})`));
    }
  }
}
