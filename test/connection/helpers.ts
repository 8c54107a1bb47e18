/**
 * Test helpers: a captured pino logger, and a scripted FAKE switch (not a real peer: it is
 * used only where a real Open vSwitch cannot be made to misbehave on purpose).
 */
import net from 'node:net';
import { once } from 'node:events';
import { pino } from 'pino';
import { decodeMessage, encodeMessage, type EncodableMessage, type OfMessage } from '../../protocol/codec.js';
import { Framer } from '../../protocol/framer.js';
import type { Log } from '../../src/transport/link.js';
import { waitFor } from '../support/wait.js';

export interface CapturedLog {
  log: Log;
  lines: Array<Record<string, unknown> & { msg?: string; level: number }>;
  find(re: RegExp): (Record<string, unknown> & { msg?: string }) | undefined;
}

export function captureLog(): CapturedLog {
  const lines: CapturedLog['lines'] = [];
  const stream = { write: (s: string) => void lines.push(JSON.parse(s)) };
  const log = pino({ level: 'debug' }, stream) as unknown as Log;
  return { log, lines, find: (re) => lines.find((l) => re.test(String(l.msg ?? ''))) };
}

export const until = (cond: () => boolean, timeoutMs = 5000, what = 'condition'): Promise<void> => waitFor(what, cond, timeoutMs, 10);

type Msg = OfMessage & Record<string, any>;

/** A fake switch on one TCP connection: receives decoded messages, sends encoded ones. */
export class FakeSwitch {
  readonly received: Msg[] = [];
  private readonly pool: Msg[] = [];
  private readonly framer = new Framer();
  private waiters: Array<{ pred: (m: Msg) => boolean; resolve: (m: Msg) => void }> = [];
  closed = false;

  constructor(readonly socket: net.Socket) {
    socket.on('data', (c) => {
      for (const f of this.framer.push(c)) {
        const m = decodeMessage(f) as Msg;
        this.received.push(m);
        const w = this.waiters.findIndex((x) => x.pred(m));
        if (w >= 0) this.waiters.splice(w, 1)[0]!.resolve(m);
        else this.pool.push(m);
      }
    });
    socket.on('close', () => (this.closed = true));
    socket.on('error', () => {});
  }

  static async dial(port: number): Promise<FakeSwitch> {
    const s = net.connect({ host: '127.0.0.1', port });
    await once(s, 'connect');
    return new FakeSwitch(s);
  }

  /** The next message of `type` ('*': any) matching `pred`, not yet taken by an earlier next(). */
  next(type: string, pred: (m: Msg) => boolean = () => true): Promise<Msg> {
    const match = (m: Msg): boolean => (type === '*' || m.type === type) && pred(m);
    const i = this.pool.findIndex(match);
    if (i >= 0) return Promise.resolve(this.pool.splice(i, 1)[0]!);
    return new Promise((resolve) => this.waiters.push({ pred: match, resolve }));
  }

  send(m: Record<string, unknown>): void {
    this.socket.write(encodeMessage({ version: 4, ...m } as unknown as EncodableMessage));
  }

  raw(b: Buffer): void {
    this.socket.write(b);
  }

  /** Plays a well-behaved switch's side of the handshake, with the answers given. */
  async handshake(o: { dpid: bigint; generation?: bigint; ports?: Array<{ port_no: number; name: string }>; staleOnce?: boolean }): Promise<void> {
    this.send({ type: 'HELLO', xid: 1, elements: [{ type: 'VERSIONBITMAP', bitmaps: [0x10] }] });
    await this.next('HELLO');
    const fr = await this.next('FEATURES_REQUEST');
    this.send({ type: 'FEATURES_REPLY', xid: fr.xid, datapath_id: o.dpid, n_buffers: 0, n_tables: 254, auxiliary_id: 0, capabilities: 0x4f, reserved: 0 });
    let stale = o.staleOnce ?? false;
    // Role requests (as many as the controller sends) until it asks for DESC.
    let dr: Msg;
    for (;;) {
      const rr = await this.next('*', (m) => m.type === 'ROLE_REQUEST' || (m.type === 'MULTIPART_REQUEST' && m.multipart_type === 'DESC'));
      if (rr.type !== 'ROLE_REQUEST') {
        dr = rr;
        break;
      }
      if (rr.role === 3 && stale) {
        stale = false;
        this.send({ type: 'ERROR', xid: rr.xid, error_type: 11, code: 0, data: Buffer.alloc(0) });
        continue;
      }
      this.send({ type: 'ROLE_REPLY', xid: rr.xid, role: rr.role === 0 ? 1 : rr.role, generation_id: o.generation ?? 7n });
    }
    this.send({ type: 'MULTIPART_REPLY', xid: dr.xid, multipart_type: 'DESC', flags: 0,
      body: [{ mfr_desc: 'fake', hw_desc: 'fake', sw_desc: 'fake 1.0', serial_num: '1', dp_desc: 'fake switch' }] });
    const pr = await this.next('MULTIPART_REQUEST', (m) => m.multipart_type === 'PORT_DESC');
    this.send({ type: 'MULTIPART_REPLY', xid: pr.xid, multipart_type: 'PORT_DESC', flags: 0,
      body: (o.ports ?? []).map((p) => port(p.port_no, p.name)) });
  }

  close(): void {
    this.socket.destroy();
  }
}

export function port(port_no: number, name: string): Record<string, unknown> {
  return {
    port_no, hw_addr: `02:00:00:00:00:${port_no.toString(16).padStart(2, '0')}`, name,
    config: 0, state: 4, curr: 0, advertised: 0, supported: 0, peer: 0, curr_speed: 0, max_speed: 0,
  };
}
