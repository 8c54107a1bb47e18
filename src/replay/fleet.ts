/**
 * N simulated switches in one process. Switch i plays recorded switch (profile) i mod P with
 * datapath id dpid-base + i (or, without a base, the recorded ids first, then ids above them).
 * --listen HOST:PORT gives switch i its own listener on PORT + i, so every switch is one plain
 * `tcp:HOST:PORT+i` target for a controller; --connect makes each switch dial the target.
 */
import { OFP_VERSION } from '../../protocol/constants.js';
import { encodeMessage } from '../../protocol/codec.js';
import { OFPC } from '../../protocol/messages/features/index.js';
import { setXid, withDatapathId } from '../../protocol/raw.js';
import { Dialer } from '../transport/dialer.js';
import type { Link, Log } from '../transport/link.js';
import { Listener } from '../transport/listener.js';
import { AddressError, parseDialTarget, parseListenAddress, type DialTarget, type ListenAddress } from '../transport/target.js';
import type { AdvanceOptions } from './advance.js';
import type { Profile, Recording } from './recording.js';
import { ReplyStore } from './store.js';
import { serveConnection, SimSwitch } from './switch.js';

/** Where the switches meet their controller: parsed and checked before anything is loaded. */
export type Attach = { kind: 'listen'; base: ListenAddress } | { kind: 'connect'; target: DialTarget };

/** Throws AddressError for a bad address, both or neither given, or ports that would run past 65535. */
export function parseAttach(listen: string | undefined, connect: string | undefined, switches: number): Attach {
  if ((listen === undefined) === (connect === undefined)) throw new AddressError('give exactly one of --listen [HOST:]PORT and --connect TARGET');
  if (listen !== undefined) {
    const base = parseListenAddress(listen);
    if (base.tls) throw new AddressError('replay listens on plain TCP only (no ssl:)');
    if (base.port !== 0 && base.port + switches - 1 > 65535) throw new AddressError(`ports ${base.port}..${base.port + switches - 1} run past 65535`);
    return { kind: 'listen', base };
  }
  const target = parseDialTarget(connect!);
  if (target.kind === 'ssl') throw new AddressError('replay dials plain TCP or unix sockets only (no ssl:)');
  return { kind: 'connect', target };
}

export interface FleetOptions {
  recording: Recording;
  switches: number;
  dpidBase?: bigint;
  attach: Attach;
  advance?: AdvanceOptions;
  echoIntervalMs: number;
  log: Log;
  /** For tests: the clock counters advance with. */
  now?: () => number;
}

const MAX_DPID = 0xffffffffffffffffn;

/** Datapath ids for switches 0..n-1, distinct. */
export function assignDpids(profiles: readonly Profile[], n: number, base?: bigint): bigint[] {
  if (base !== undefined) {
    if (base < 0n || base + BigInt(n - 1) > MAX_DPID) throw new RangeError(`--dpid-base ${base} leaves no room for ${n} datapath ids`);
    return Array.from({ length: n }, (_, i) => base + BigInt(i));
  }
  const recorded = profiles.map((p) => p.dpid);
  const used = new Set<bigint>();
  const out: bigint[] = [];
  let next = recorded.reduce<bigint>((m, d) => (d !== undefined && d >= m ? d + 1n : m), 1n);
  for (let i = 0; i < n; i++) {
    const d = i < recorded.length ? recorded[i] : undefined;
    if (d !== undefined && !used.has(d)) out.push(d);
    else out.push(next++);
    used.add(out[i]!);
  }
  return out;
}

/** FEATURES_REPLY (xid 0) for a datapath id: the recorded one with the id replaced, or a plain one. */
function featuresFor(profile: Profile, dpid: bigint): Buffer {
  if (profile.features) {
    const b = withDatapathId(profile.features, dpid);
    setXid(b, 0);
    return b;
  }
  return encodeMessage({
    version: OFP_VERSION, type: 'FEATURES_REPLY', xid: 0, datapath_id: dpid, n_buffers: 0, n_tables: 254,
    auxiliary_id: 0, capabilities: OFPC.FLOW_STATS | OFPC.TABLE_STATS | OFPC.PORT_STATS | OFPC.GROUP_STATS, reserved: 0,
  });
}

export class Fleet {
  readonly switches: SimSwitch[];
  private readonly listeners: Listener[] = [];
  private readonly dialers: Dialer[] = [];
  private readonly sockets = new Set<import('node:net').Socket>();

  constructor(private readonly opts: FleetOptions) {
    const { profiles } = opts.recording;
    if (profiles.length === 0) throw new Error('the capture holds no OpenFlow 1.3 switch replies');
    if (!Number.isInteger(opts.switches) || opts.switches < 1) throw new RangeError(`--switches must be a positive integer (got ${opts.switches})`);
    const startMs = (opts.now ?? Date.now)();
    const stores = profiles.map((p) => new ReplyStore(p, { advance: opts.advance, startMs, now: opts.now }));
    const dpids = assignDpids(profiles, opts.switches, opts.dpidBase);
    this.switches = dpids.map((dpid, i) => {
      const k = i % profiles.length;
      return new SimSwitch(i, dpid, featuresFor(profiles[k]!, dpid), stores[k]!);
    });
  }

  private serve(link: Link, sw: SimSwitch): void {
    this.sockets.add(link.socket);
    link.socket.once('close', () => this.sockets.delete(link.socket));
    serveConnection(link.socket, sw, { echoIntervalMs: this.opts.echoIntervalMs, log: this.opts.log });
  }

  async start(): Promise<void> {
    const attach = this.opts.attach;
    if (attach.kind === 'listen') {
      const base = attach.base;
      for (const sw of this.switches) {
        const port = base.port === 0 ? 0 : base.port + sw.index;
        const address: ListenAddress = { ...base, port, text: `${base.host ?? ''}:${port}` };
        const l = new Listener({ address, maxConnections: 64, log: this.opts.log });
        l.on('link', (link: Link) => this.serve(link, sw));
        this.listeners.push(l);
      }
      try {
        await Promise.all(this.listeners.map((l) => l.start()));
      } catch (e) {
        await this.stop();
        throw e;
      }
      this.listenHost = base.host;
    } else {
      for (const sw of this.switches) {
        const d = new Dialer({ target: attach.target, backoffMinMs: 200, backoffMaxMs: 5_000, stableMs: 10_000, connectTimeoutMs: 5_000, log: this.opts.log });
        d.on('link', (link: Link) => this.serve(link, sw));
        this.dialers.push(d);
        d.start();
      }
    }
  }

  private listenHost: string | undefined;

  /** `tcp:HOST:PORT` of every switch, in switch order (listen mode). */
  targets(): string[] {
    const host = this.listenHost === undefined || this.listenHost === '0.0.0.0' ? '127.0.0.1'
      : this.listenHost === '::' ? '[::1]' : this.listenHost.includes(':') ? `[${this.listenHost}]` : this.listenHost;
    return this.listeners.map((l) => `tcp:${host}:${l.port}`);
  }

  async stop(): Promise<void> {
    for (const d of this.dialers) d.stop();
    for (const s of this.sockets) s.destroy();
    await Promise.all(this.listeners.map((l) => l.stop()));
  }
}
