/**
 * Dials a switch (unix socket or tcp), says HELLO and asks for every flow's stats with our
 * own codec, and returns the raw MULTIPART_REPLY messages exactly as they came off the wire.
 */
import { connect, type Socket } from 'node:net';
import { Framer } from '../protocol/framer.js';
import { encodeMessage, type EncodableMessage } from '../protocol/codec.js';
import { Writer } from '../protocol/wire/writer.js';
import { OFP_VERSION, OFPT, OFPMP, OFPP, OFPG_ANY, OFPTT_ALL, OFPMPF_REPLY_MORE } from '../protocol/constants.js';

export interface Capture {
  /** The reply messages, back to back, as received. */
  bytes: Buffer;
  messages: number;
  /** Wall time from sending the request to the last reply byte. */
  ms: number;
}

/** Prefer the codec's encoder; the hand-written bytes are the fallback while a family is unfinished. */
function encodeOr(msg: unknown, fallback: () => Buffer): Buffer {
  try {
    return encodeMessage(msg as EncodableMessage);
  } catch {
    return fallback();
  }
}

function helloBytes(xid: number): Buffer {
  return encodeOr({ version: OFP_VERSION, type: 'HELLO', xid, elements: [] }, () =>
    new Writer(8).u8(OFP_VERSION).u8(OFPT.HELLO).u16(8).u32(xid).finish(),
  );
}

export function flowStatsRequestBytes(xid: number): Buffer {
  const body = {
    table_id: OFPTT_ALL, out_port: OFPP.ANY, out_group: OFPG_ANY, cookie: 0n, cookie_mask: 0n,
    match: { type: 1, oxm_fields: [] },
  };
  return encodeOr(
    { version: OFP_VERSION, type: 'MULTIPART_REQUEST', xid, multipart_type: 'FLOW', flags: 0, body: [body] },
    () => {
      const w = new Writer(64);
      w.u8(OFP_VERSION).u8(OFPT.MULTIPART_REQUEST).u16(0).u32(xid);
      w.u16(OFPMP.FLOW).u16(0).u32(0);
      w.u8(body.table_id).u8(0).u16(0).u32(body.out_port).u32(body.out_group).u32(0).u64(0n).u64(0n);
      w.u16(1).u16(4).u32(0); // empty OXM match, padded to 8
      w.patchU16(2, w.pos);
      return w.finish();
    },
  );
}

/** `target`: `unix:/path` or `tcp:host:port`. */
export function captureFlowStats(target: string, timeoutMs = 120_000): Promise<Capture> {
  return new Promise((resolve, reject) => {
    let sock: Socket;
    if (target.startsWith('unix:')) sock = connect(target.slice(5));
    else {
      const [, host, port] = target.split(':');
      sock = connect(Number(port), host);
    }
    const xid = 0x0f10;
    const framer = new Framer();
    const parts: Buffer[] = [];
    let t0 = 0;
    let sent = false;
    const timer = setTimeout(() => finish(new Error(`no complete flow-stats reply within ${timeoutMs} ms`)), timeoutMs);
    const finish = (err?: Error): void => {
      clearTimeout(timer);
      sock.destroy();
      if (err) return reject(err);
      const bytes = Buffer.concat(parts);
      resolve({ bytes, messages: parts.length, ms: performance.now() - t0 });
    };
    sock.on('error', (e) => finish(e));
    sock.on('connect', () => sock.write(helloBytes(1)));
    sock.on('data', (chunk: Buffer) => {
      let msgs: Buffer[];
      try {
        msgs = framer.push(chunk);
      } catch (e) {
        return finish(e as Error);
      }
      for (const m of msgs) {
        const type = m[1]!;
        if (type === OFPT.HELLO && !sent) {
          sent = true;
          t0 = performance.now();
          sock.write(flowStatsRequestBytes(xid));
        } else if (type === OFPT.ECHO_REQUEST) {
          const reply = Buffer.from(m);
          reply[1] = OFPT.ECHO_REPLY;
          sock.write(reply);
        } else if (type === OFPT.ERROR) {
          return finish(new Error(`switch answered with OFPT_ERROR ${m.toString('hex')}`));
        } else if (type === OFPT.MULTIPART_REPLY && m.readUInt32BE(4) === xid) {
          parts.push(Buffer.from(m));
          if ((m.readUInt16BE(10) & OFPMPF_REPLY_MORE) === 0) return finish();
        }
      }
    });
  });
}
