/**
 * One switch on one socket: framer → codec → handshake, keepalive, requests. Emits
 * 'up' once HELLO, FEATURES, role, DESC and PORT_DESC are done, 'down' (reason) when the
 * connection ends after that, 'decode-error' for anything that does not decode and
 * 'refused' when the read-only guard stops an outbound message.
 */
import { EventEmitter } from 'node:events';
import { decodeMessage } from '../../protocol/codec.js';
import { OFP_HEADER_LEN, OFP_VERSION, OFPMP, OFPT } from '../../protocol/constants.js';
import { OfDecodeError } from '../../protocol/errors.js';
import { isMultipart, messageTypeOf, multipartFlagsOf, multipartTypeOf, peekHeader } from '../../protocol/raw.js';
import { scanFlowStatsMessage } from '../../protocol/fast/flow-stats-scan.js';
import { Framer } from '../../protocol/framer.js';
import type { Link, Log } from '../transport/link.js';
import { RequestError } from './failure.js';
import { ReadOnlyViolation } from './guard.js';
import { build, PORT_REASON, portInfo, read, readHello, ROLE, ROLE_NAMES, switchIdOf, versionName, type Incoming } from './messages.js';
import { Outbound } from './outbound.js';
import { RequestTracker } from './requests.js';
import type { MultipartOptions, MultipartResult, PortInfo, StatRequestType, SwitchHandle } from './types.js';

export type RoleMode = 'slave' | 'equal' | 'nochange';

export interface ConnectionSettings {
  role: RoleMode;
  /** Per-switch role (config overrides by datapath id); `role` where it gives none. */
  roleFor?: (dpid: bigint) => RoleMode | undefined;
  echoIntervalMs: number;
  echoMisses: number;
  handshakeTimeoutMs: number;
  requestTimeoutMs: number;
  maxOutstanding: number;
  maxQueued: number;
  /** How often a STALE answer to our SLAVE request is retried with a fresh generation id. */
  roleRetries: number;
}

/** The body of a lean FLOW part as dispatched (its entries are in the columns); never written to. */
const NO_ENTRIES: readonly unknown[] = Object.freeze([]);

type Phase = 'hello' | 'features' | 'role' | 'desc' | 'port-desc' | 'up' | 'closed';

const PHASE_WAITING_FOR: Record<Phase, string> = {
  hello: 'HELLO (the peer accepted the connection but sent nothing valid)',
  features: 'FEATURES_REPLY',
  role: 'ROLE_REPLY',
  desc: 'DESC reply',
  'port-desc': 'PORT_DESC reply',
  up: '',
  closed: '',
};

export class SwitchConnection extends EventEmitter implements SwitchHandle {
  readonly peer: string;
  switchId = '';
  dpid = 0n;
  desc: SwitchHandle['desc'];
  readonly ports = new Map<number, PortInfo>();

  private phase: Phase = 'hello';
  private log: Log;
  private readonly framer = new Framer();
  private readonly out: Outbound;
  private readonly requests: RequestTracker;
  private xid = 0;
  private helloWaiter: ((m: Incoming) => void) | undefined;
  private handshakeTimer: NodeJS.Timeout | undefined;
  private echoTimer: NodeJS.Timeout | undefined;
  private readonly echoXids = new Set<number>();
  private echoMissed = 0;
  private closeReason = '';

  constructor(
    private readonly link: Link,
    private readonly settings: ConnectionSettings,
    log: Log,
  ) {
    super();
    this.peer = link.peer;
    this.log = log.child({ peer: link.peer });
    this.out = new Outbound(link.socket, this.log, (v) => this.emit('refused', v));
    this.requests = new RequestTracker(
      { maxOutstanding: settings.maxOutstanding, maxQueued: settings.maxQueued, timeoutMs: settings.requestTimeoutMs },
      () => this.nextXid(),
      (b) => this.out.send(b),
    );
  }

  get connected(): boolean {
    return this.phase === 'up';
  }

  get isClosed(): boolean {
    return this.phase === 'closed';
  }

  /** How many requests are at the switch / waiting for a slot (for self-metrics). */
  get inFlight(): { outstanding: number; queued: number } {
    return { outstanding: this.requests.outstanding, queued: this.requests.queued };
  }

  private nextXid(): number {
    // xid 0 is left out: some switches use it for unsolicited messages.
    this.xid = (this.xid % 0xffffffff) + 1;
    return this.xid;
  }

  start(): void {
    const s = this.link.socket;
    s.on('data', (chunk: Buffer) => this.onData(chunk));
    s.on('error', (e) => {
      if (!this.closeReason) this.closeReason = e.message;
    });
    s.on('close', () => this.close(this.closeReason || 'connection closed by peer'));
    this.handshakeTimer = setTimeout(() => {
      this.log.warn({ phase: this.phase, timeoutMs: this.settings.handshakeTimeoutMs },
        `handshake timed out waiting for ${PHASE_WAITING_FOR[this.phase]}; dropping connection`);
      this.close(`handshake timeout in phase ${this.phase}`);
    }, this.settings.handshakeTimeoutMs);
    this.handshake().catch((e: Error) => {
      if (this.phase === 'closed') return;
      this.log.warn({ phase: this.phase, err: e.message }, 'handshake failed; dropping connection');
      this.close(`handshake failed in phase ${this.phase}: ${e.message}`);
    });
  }

  multipart<E = unknown>(type: StatRequestType, body: unknown[] = [], opts?: MultipartOptions): Promise<MultipartResult<E>> {
    return this.requests.multipart(type, body, opts?.timeoutMs, opts?.lean === true && type === 'FLOW') as Promise<MultipartResult<E>>;
  }

  /** Idempotent. Fails every pending and queued request with 'disconnected'. */
  close(reason: string): void {
    if (this.phase === 'closed') return;
    const wasUp = this.phase === 'up';
    this.phase = 'closed';
    clearTimeout(this.handshakeTimer);
    clearInterval(this.echoTimer);
    this.requests.close(reason);
    this.link.socket.destroy();
    if (wasUp) {
      this.log.info({ reason }, 'switch disconnected');
      this.emit('down', reason);
    } else {
      this.log.debug({ reason }, 'connection closed before the handshake finished');
    }
    this.emit('closed', reason);
  }

  // ---- inbound -----------------------------------------------------------------------

  private onData(chunk: Buffer): void {
    if (this.phase === 'closed') return;
    let frames: Buffer[];
    try {
      frames = this.framer.push(chunk);
    } catch (e) {
      this.garbage(e, 'unframeable byte stream');
      return;
    }
    for (const f of frames) {
      if (this.isClosed) return;
      let m: Incoming;
      try {
        m = this.leanFlowReply(f) ?? (decodeMessage(f) as Incoming);
      } catch (e) {
        if (!(e instanceof OfDecodeError) || e.offset < OFP_HEADER_LEN) {
          // A header we cannot read (version, type) means we no longer know what the peer is saying.
          this.garbage(e, 'undecodable message header');
          return;
        }
        this.skipUndecodable(e);
        continue;
      }
      this.dispatch(m);
    }
  }

  /**
   * A part of a FLOW reply whose request asked for the lean scan: its entries go straight into
   * that request's columns (all of a part or, if it does not decode, none of it), and what is
   * dispatched is the part without a body. Undefined for anything else.
   */
  private leanFlowReply(f: Buffer): Incoming | undefined {
    if (!isMultipart(f) || messageTypeOf(f) !== OFPT.MULTIPART_REPLY || multipartTypeOf(f) !== OFPMP.FLOW) return undefined;
    const { xid } = peekHeader(f);
    const columns = this.requests.leanColumns(xid);
    if (columns === undefined) return undefined;
    scanFlowStatsMessage(f, columns);
    return { version: OFP_VERSION, type: 'MULTIPART_REPLY', xid, multipart_type: 'FLOW', flags: multipartFlagsOf(f), body: NO_ENTRIES } as unknown as Incoming;
  }

  private garbage(e: unknown, what: string): void {
    const err = e as Error;
    const ctx = e instanceof OfDecodeError ? { offset: e.offset, reason: e.reason, msgType: e.msgType, xid: e.xid } : { reason: err.message };
    this.log.warn({ switchId: this.switchId || undefined, phase: this.phase, ...ctx }, `peer sent garbage (${what}); dropping connection`);
    this.emit('decode-error', { switchId: this.switchId || undefined, peer: this.peer, error: err });
    this.close(`garbage from peer: ${err.message}`);
  }

  /** A well-framed message with a body we cannot read: count it, fail the request it answers, go on. */
  private skipUndecodable(e: OfDecodeError): void {
    this.log.warn({ switchId: this.switchId || undefined, offset: e.offset, reason: e.reason, msgType: e.msgType, xid: e.xid },
      'skipping a message that does not decode');
    this.emit('decode-error', { switchId: this.switchId || undefined, peer: this.peer, error: e });
    if (e.xid !== undefined) {
      this.requests.fail(e.xid, new RequestError('undecodable', `reply xid=${e.xid} does not decode: ${e.message}`));
    }
  }

  private dispatch(m: Incoming): void {
    if (this.phase === 'hello') {
      if (m.type !== 'HELLO') {
        this.garbage(new Error(`expected HELLO first, got ${m.type}`), 'protocol violation');
        return;
      }
      this.helloWaiter?.(m);
      return;
    }
    if (m.version !== OFP_VERSION) {
      this.garbage(new Error(`version 0x${m.version.toString(16)} after negotiating 1.3`), 'protocol violation');
      return;
    }
    switch (m.type) {
      case 'ECHO_REQUEST':
        this.out.send(build.echoReply(m.xid, read.echoData(m)));
        return;
      case 'ECHO_REPLY':
        if (this.echoXids.delete(m.xid)) {
          this.echoXids.clear();
          this.echoMissed = 0;
        }
        return;
      case 'PORT_STATUS':
        this.portStatus(m);
        return;
    }
    if (this.requests.handle(m)) return;
    if (m.type === 'ERROR') {
      const n = read.errorNames(m);
      this.log.warn({ xid: m.xid, ...n }, 'switch sent an ERROR that answers no pending request');
      return;
    }
    // PACKET_IN, FLOW_REMOVED, late replies to timed-out requests...: not ours to act on.
    this.log.debug({ type: m.type, xid: m.xid }, 'ignoring message');
  }

  private portStatus(m: Incoming): void {
    const { reason, port } = read.portStatus(m);
    if (reason === PORT_REASON.DELETE) this.ports.delete(port.port_no);
    else this.ports.set(port.port_no, port);
    this.log.debug({ reason, port_no: port.port_no, name: port.name }, 'port status');
  }

  // ---- handshake ---------------------------------------------------------------------

  private waitHello(): Promise<Incoming> {
    return new Promise((resolve) => {
      this.helloWaiter = resolve;
    });
  }

  private async handshake(): Promise<void> {
    const helloArrived = this.waitHello();
    this.out.send(build.hello(this.nextXid()));
    const hello = await helloArrived;
    this.helloWaiter = undefined;
    const h = readHello(hello);
    if (!h.ok) {
      const offered = h.offered.map(versionName);
      const text = `ofstats speaks OpenFlow 1.3 (0x04) only; peer offers ${offered.join(', ') || 'nothing'}`;
      this.log.warn({ offered, viaBitmap: h.viaBitmap, headerVersion: hello.version },
        `switch offers no OpenFlow 1.3 (versions offered: ${offered.join(', ') || 'none'}); sending HELLO_FAILED and dropping`);
      this.out.send(build.helloFailed(hello.xid, text));
      this.link.socket.end();
      this.close('no common OpenFlow version');
      return;
    }
    this.phase = 'features';
    const features = await this.requests.single('FEATURES_REQUEST', (x) => build.featuresRequest(x), 'FEATURES_REPLY');
    this.dpid = read.datapathId(features);
    this.switchId = switchIdOf(this.dpid);
    this.log = this.log.child({ switchId: this.switchId });

    this.phase = 'role';
    await this.takeRole();

    this.phase = 'desc';
    const desc = await this.requests.multipart('DESC', []);
    this.desc = desc.entries[0] as SwitchHandle['desc'];

    this.phase = 'port-desc';
    const ports = await this.requests.multipart('PORT_DESC', []);
    this.ports.clear();
    for (const p of ports.entries) {
      const info = portInfo(p);
      this.ports.set(info.port_no, info);
    }
    if (this.isClosed) return;

    clearTimeout(this.handshakeTimer);
    this.phase = 'up';
    this.startEcho();
    this.log.info({ ports: this.ports.size, sw: this.desc?.sw_desc, role: this.settings.roleFor?.(this.dpid) ?? this.settings.role }, 'switch up');
    this.emit('up');
  }

  private roleRequest(role: number, gen: bigint): Promise<Incoming> {
    return this.requests.single(`ROLE_REQUEST ${ROLE_NAMES[role]}`, (x) => build.roleRequest(x, role, gen), 'ROLE_REPLY');
  }

  private async takeRole(): Promise<void> {
    const mode = this.settings.roleFor?.(this.dpid) ?? this.settings.role;
    try {
      if (mode === 'nochange') {
        const cur = read.role(await this.roleRequest(ROLE.NOCHANGE, 0n));
        this.log.info({ role: ROLE_NAMES[cur.role] }, 'keeping the role the switch gave us');
        return;
      }
      if (mode === 'equal') {
        await this.roleRequest(ROLE.EQUAL, 0n);
        return;
      }
      for (let attempt = 1; ; attempt++) {
        // The switch's current generation id: asking SLAVE with it can never be stale unless a
        // master moved it in between, which is what the retry is for.
        const { generationId } = read.role(await this.roleRequest(ROLE.NOCHANGE, 0n));
        try {
          const got = read.role(await this.roleRequest(ROLE.SLAVE, generationId));
          if (got.role !== ROLE.SLAVE) throw new Error(`switch answered role ${ROLE_NAMES[got.role] ?? got.role} to our SLAVE request`);
          return;
        } catch (e) {
          const stale = e instanceof RequestError && e.errorType === 'ROLE_REQUEST_FAILED' && e.errorCode === 'STALE';
          if (!stale || attempt >= this.settings.roleRetries) throw e;
          this.log.info({ attempt, generationId: String(generationId) }, 'SLAVE request was stale; retrying with a fresh generation id');
        }
      }
    } catch (e) {
      // A switch without role support cannot make us a slave; polling read-only is still safe.
      if (e instanceof RequestError && e.kind === 'error-reply' &&
          (e.errorCode === 'UNSUP' || (e.errorType === 'BAD_REQUEST' && e.errorCode === 'BAD_TYPE'))) {
        this.log.warn({ role: mode, err: e.message }, 'switch does not support controller roles; continuing without one');
        return;
      }
      throw e;
    }
  }

  // ---- keepalive ---------------------------------------------------------------------

  private startEcho(): void {
    this.echoTimer = setInterval(() => {
      if (this.echoXids.size > 0) this.echoMissed++;
      if (this.echoMissed >= this.settings.echoMisses) {
        this.log.warn({ missed: this.echoMissed, intervalMs: this.settings.echoIntervalMs }, 'switch stopped answering echo requests; dropping connection');
        this.close(`keepalive: ${this.echoMissed} echo requests unanswered`);
        return;
      }
      const xid = this.nextXid();
      this.echoXids.add(xid);
      try {
        this.out.send(build.echoRequest(xid, Buffer.alloc(0)));
      } catch (e) {
        if (!(e instanceof ReadOnlyViolation)) throw e;
      }
    }, this.settings.echoIntervalMs);
    this.echoTimer.unref?.();
  }
}
