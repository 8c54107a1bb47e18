/**
 * A switch that refuses some stat types, made from a real one: a TCP listener in front of an
 * OVS bridge's management socket that passes every OpenFlow message through, except
 * MULTIPART_REQUESTs of the refused types, which it answers itself with the error a switch
 * without that feature sends (OFPET_BAD_REQUEST / OFPBRC_BAD_MULTIPART, the request's first
 * 64 bytes as data, OpenFlow 1.3.5 §7.5.4). OVS itself supports every stat type on the dummy
 * datapath, so this is how issue 5's "unsupported" fixture gets real refusals next to real replies.
 */
import { createConnection, createServer, type Server, type Socket } from 'node:net';

const OFPT_ERROR = 1;
const OFPT_MULTIPART_REQUEST = 18;
const OFPET_BAD_REQUEST = 1;
const OFPBRC_BAD_MULTIPART = 2;

/** OFPMP_* numbers by the names the scheduler uses. */
export const MULTIPART_TYPES = {
  DESC: 0, FLOW: 1, AGGREGATE: 2, TABLE: 3, PORT_STATS: 4, QUEUE: 5, GROUP: 6, GROUP_DESC: 7,
  GROUP_FEATURES: 8, METER: 9, METER_CONFIG: 10, METER_FEATURES: 11, TABLE_FEATURES: 12, PORT_DESC: 13,
} as const;
export type MultipartName = keyof typeof MULTIPART_TYPES;

export interface RefusingProxy {
  port: number;
  /** Requests refused so far, by multipart type number. */
  refused: Map<number, number>;
  close(): Promise<void>;
}

/** Splits a byte stream into whole OpenFlow messages (8-byte header, 16-bit length at offset 2). */
function framer(onMessage: (m: Buffer) => void): (chunk: Buffer) => void {
  let held: Buffer = Buffer.alloc(0);
  return (chunk) => {
    held = held.length ? Buffer.concat([held, chunk]) : chunk;
    while (held.length >= 8) {
      const len = held.readUInt16BE(2);
      if (len < 8) throw new Error(`OpenFlow length ${len} < 8`);
      if (held.length < len) break;
      onMessage(held.subarray(0, len));
      held = held.subarray(len);
    }
  };
}

function errorFor(request: Buffer): Buffer {
  const data = request.subarray(0, Math.min(64, request.length));
  const e = Buffer.alloc(12 + data.length);
  e.writeUInt8(request.readUInt8(0), 0);
  e.writeUInt8(OFPT_ERROR, 1);
  e.writeUInt16BE(e.length, 2);
  e.writeUInt32BE(request.readUInt32BE(4), 4);
  e.writeUInt16BE(OFPET_BAD_REQUEST, 8);
  e.writeUInt16BE(OFPBRC_BAD_MULTIPART, 10);
  data.copy(e, 12);
  return e;
}

/** Listen on 127.0.0.1 (a free port unless given) in front of `unixPath`, refusing `refuse`. */
export function startRefusingProxy(unixPath: string, refuse: readonly MultipartName[], port = 0): Promise<RefusingProxy> {
  const refusedTypes = new Set<number>(refuse.map((n) => MULTIPART_TYPES[n]));
  const refused = new Map<number, number>();
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = createConnection(unixPath);
    sockets.add(client).add(upstream);
    const closeBoth = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('error', closeBoth).on('close', closeBoth);
    upstream.on('error', closeBoth).on('close', closeBoth);
    upstream.on('data', (b: Buffer) => client.write(b));
    const fromClient = framer((m) => {
      const mpType = m.readUInt8(1) === OFPT_MULTIPART_REQUEST && m.length >= 10 ? m.readUInt16BE(8) : -1;
      if (refusedTypes.has(mpType)) {
        refused.set(mpType, (refused.get(mpType) ?? 0) + 1);
        client.write(errorFor(m));
      } else upstream.write(m);
    });
    client.on('data', (b: Buffer) => {
      try {
        fromClient(b);
      } catch {
        closeBoth();
      }
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      const addr = server.address();
      resolve({
        port: typeof addr === 'object' && addr ? addr.port : 0,
        refused,
        close: () => new Promise<void>((done) => {
          for (const s of sockets) s.destroy();
          server.close(() => done());
        }),
      });
    });
  });
}
