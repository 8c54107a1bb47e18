/**
 * Rewriting real captures for the cases no real peer produces on demand: other link layers,
 * other file flavours (big-endian, nanosecond pcap, several pcapng interfaces), reordered,
 * duplicated and overlapping segments. Segments are read back with tshark (not our parser),
 * so the rewritten file carries exactly the TCP bytes the real capture held.
 */
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';

export interface Seg {
  /** Frame number in the capture the segment was read from. */
  frame: number;
  src: string;
  dst: string;
  sport: number;
  dport: number;
  seq: number;
  ack: number;
  flags: number;
  payload: Buffer;
}

/** Every TCP segment of a capture, as tshark reads it. */
export function tsharkSegments(file: string): Promise<Seg[]> {
  const fields = ['frame.number', 'ip.src', 'ip.dst', 'tcp.srcport', 'tcp.dstport', 'tcp.seq_raw', 'tcp.ack_raw', 'tcp.flags', 'tcp.payload'];
  const args = ['-r', file, '-Y', 'tcp', '-T', 'fields', ...fields.flatMap((f) => ['-e', f])];
  return new Promise((resolve, reject) => {
    execFile('tshark', args, { maxBuffer: 1 << 30 }, (err, stdout, stderr) => {
      if (err) return reject(new Error(`${err.message}\n${stderr}`));
      resolve(
        stdout.split('\n').filter(Boolean).map((line) => {
          const f = line.split('\t');
          return {
            frame: Number(f[0]),
            src: f[1]!,
            dst: f[2]!,
            sport: Number(f[3]),
            dport: Number(f[4]),
            seq: Number(f[5]),
            ack: Number(f[6]),
            flags: Number(f[7]),
            payload: Buffer.from((f[8] ?? '').replace(/:/g, ''), 'hex'),
          };
        }),
      );
    });
  });
}

function tcpBytes(s: Seg): Buffer {
  const t = Buffer.alloc(20);
  t.writeUInt16BE(s.sport, 0);
  t.writeUInt16BE(s.dport, 2);
  t.writeUInt32BE(s.seq >>> 0, 4);
  t.writeUInt32BE(s.ack >>> 0, 8);
  t[12] = 5 << 4;
  t[13] = s.flags & 0xff;
  t.writeUInt16BE(65535, 14);
  return Buffer.concat([t, s.payload]);
}

const v4 = (a: string) => Buffer.from(a.split('.').map(Number));
/** IPv4 address a.b.c.d as the IPv6 ::ffff:0:0/96-free documentation form 2001:db8::a.b.c.d. */
const v6 = (a: string) => Buffer.concat([Buffer.from([0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0]), v4(a)]);

export function ipv4Packet(s: Seg): Buffer {
  const tcp = tcpBytes(s);
  const h = Buffer.alloc(20);
  h[0] = 0x45;
  h.writeUInt16BE(20 + tcp.length, 2);
  h.writeUInt16BE(0x4000, 6);
  h[8] = 64;
  h[9] = 6;
  v4(s.src).copy(h, 12);
  v4(s.dst).copy(h, 16);
  return Buffer.concat([h, tcp]);
}

export function ipv6Packet(s: Seg): Buffer {
  const tcp = tcpBytes(s);
  const h = Buffer.alloc(40);
  h[0] = 0x60;
  h.writeUInt16BE(tcp.length, 4);
  h[6] = 6;
  h[7] = 64;
  v6(s.src).copy(h, 8);
  v6(s.dst).copy(h, 24);
  return Buffer.concat([h, tcp]);
}

/** Link layers: LINKTYPE number and how to wrap an IP packet (version from its first nibble). */
export const LINKS = {
  ethernet: { linkType: 1, wrap: (ip: Buffer) => Buffer.concat([Buffer.alloc(12), Buffer.from([ip[0]! >> 4 === 6 ? 0x86 : 0x08, ip[0]! >> 4 === 6 ? 0xdd : 0x00]), ip]) },
  ethernetVlan: { linkType: 1, wrap: (ip: Buffer) => Buffer.concat([Buffer.alloc(12), Buffer.from([0x81, 0x00, 0x00, 0x05, 0x08, 0x00]), ip]) },
  raw: { linkType: 101, wrap: (ip: Buffer) => ip },
  // BSD loopback: the address family in the writer's byte order (here little-endian AF_INET = 2).
  null: { linkType: 0, wrap: (ip: Buffer) => Buffer.concat([Buffer.from([2, 0, 0, 0]), ip]) },
  sll: {
    linkType: 113,
    wrap: (ip: Buffer) => {
      const h = Buffer.alloc(16);
      h.writeUInt16BE(772, 2); // ARPHRD_LOOPBACK
      h.writeUInt16BE(0x0800, 14);
      return Buffer.concat([h, ip]);
    },
  },
  sll2: {
    linkType: 276,
    wrap: (ip: Buffer) => {
      const h = Buffer.alloc(20);
      h.writeUInt16BE(0x0800, 0);
      h.writeUInt32BE(1, 4); // interface index
      h.writeUInt16BE(772, 8);
      return Buffer.concat([h, ip]);
    },
  },
} as const;

export interface Frame {
  linkType: number;
  data: Buffer;
  /** pcapng interface index (pcapng only). */
  iface?: number;
}

/** Classic pcap; every frame must have the same link type. */
export function writePcap(file: string, frames: Frame[], opts: { bigEndian?: boolean; nanos?: boolean } = {}): void {
  const w32 = (b: Buffer, v: number, o: number) => (opts.bigEndian ? b.writeUInt32BE(v, o) : b.writeUInt32LE(v, o));
  const w16 = (b: Buffer, v: number, o: number) => (opts.bigEndian ? b.writeUInt16BE(v, o) : b.writeUInt16LE(v, o));
  const h = Buffer.alloc(24);
  w32(h, opts.nanos ? 0xa1b23c4d : 0xa1b2c3d4, 0);
  w16(h, 2, 4);
  w16(h, 4, 6);
  w32(h, 262144, 16);
  w32(h, frames[0]?.linkType ?? 1, 20);
  const parts: Buffer[] = [h];
  frames.forEach((f, i) => {
    const r = Buffer.alloc(16);
    w32(r, 1_700_000_000 + i, 0);
    w32(r, 1000, 4);
    w32(r, f.data.length, 8);
    w32(r, f.data.length, 12);
    parts.push(r, Buffer.from(f.data));
  });
  writeFileSync(file, Buffer.concat(parts));
}

/** pcapng: one section, the given interfaces (link types), EPBs, or an SPB for interface 0 frames when `simple`. */
export function writePcapng(file: string, ifaceLinks: number[], frames: Frame[], opts: { simple?: boolean } = {}): void {
  const block = (type: number, body: Buffer): Buffer => {
    const pad = (4 - (body.length % 4)) % 4;
    const total = 12 + body.length + pad;
    const b = Buffer.alloc(total);
    b.writeUInt32LE(type, 0);
    b.writeUInt32LE(total, 4);
    body.copy(b, 8);
    b.writeUInt32LE(total, total - 4);
    return b;
  };
  const shb = Buffer.alloc(16);
  shb.writeUInt32LE(0x1a2b3c4d, 0);
  shb.writeUInt16LE(1, 4);
  shb.writeInt32LE(-1, 8);
  shb.writeInt32LE(-1, 12);
  const parts: Buffer[] = [block(0x0a0d0d0a, shb)];
  for (const lt of ifaceLinks) {
    const idb = Buffer.alloc(8);
    idb.writeUInt16LE(lt, 0);
    idb.writeUInt32LE(0, 4);
    parts.push(block(1, idb));
  }
  frames.forEach((f, i) => {
    const iface = f.iface ?? 0;
    if (opts.simple && iface === 0 && i % 2 === 1) {
      const spb = Buffer.alloc(4);
      spb.writeUInt32LE(f.data.length, 0);
      parts.push(block(3, Buffer.concat([spb, f.data])));
      return;
    }
    const epb = Buffer.alloc(20);
    epb.writeUInt32LE(iface, 0);
    epb.writeUInt32LE(0, 4);
    epb.writeUInt32LE(i, 8);
    epb.writeUInt32LE(f.data.length, 12);
    epb.writeUInt32LE(f.data.length, 16);
    parts.push(block(6, Buffer.concat([epb, f.data])));
  });
  writeFileSync(file, Buffer.concat(parts));
}

/**
 * Cut every payload into pieces of at most `max` bytes (one segment each), so that messages
 * span segments; sequence numbers follow the bytes.
 */
export function splitSegments(segs: Seg[], max: number): Seg[] {
  const out: Seg[] = [];
  for (const s of segs) {
    if (s.payload.length <= max) {
      out.push(s);
      continue;
    }
    for (let off = 0; off < s.payload.length; off += max) {
      out.push({ ...s, seq: (s.seq + off) >>> 0, payload: s.payload.subarray(off, off + max) });
    }
  }
  return out;
}

/**
 * Disorder the data segments of each direction: swap neighbours (the later piece goes first),
 * add segments overlapping the end of one piece and the start of the next, and send every
 * third segment again later (whole, or its second half). Pure ACKs and SYN/FIN/RST keep their place.
 */
export function disorder(segs: Seg[]): Seg[] {
  const out = [...segs];
  const isData = (s: Seg) => s.payload.length > 0 && (s.flags & 0x07) === 0;
  const dirOf = (s: Seg) => `${s.src}:${s.sport}>${s.dst}:${s.dport}`;
  for (let i = 0; i + 1 < out.length; i++) {
    const a = out[i]!;
    const b = out[i + 1]!;
    if (isData(a) && isData(b) && dirOf(a) === dirOf(b) && ((b.seq - a.seq) >>> 0) === a.payload.length) {
      out[i] = b;
      out[i + 1] = a;
      i++;
    }
  }
  // Overlap: before every fourth in-order pair, a segment with the end of the first piece and
  // the start of the second, so the second arrives partly known already.
  const withOverlaps: Seg[] = [];
  let pairs = 0;
  for (let i = 0; i < out.length; i++) {
    const a = out[i - 1];
    const b = out[i]!;
    if (a && isData(a) && isData(b) && dirOf(a) === dirOf(b) && ((b.seq - a.seq) >>> 0) === a.payload.length && b.payload.length > 1 && ++pairs % 4 === 0) {
      const fromA = a.payload.subarray(a.payload.length >> 1);
      withOverlaps.push({ ...b, seq: (a.seq + (a.payload.length >> 1)) >>> 0, payload: Buffer.concat([fromA, b.payload.subarray(0, b.payload.length >> 1)]) });
    }
    withOverlaps.push(b);
  }
  const result: Seg[] = [];
  const pendingDup: Seg[] = [];
  let n = 0;
  for (const s of withOverlaps) {
    result.push(s);
    if (isData(s) && ++n % 3 === 0) pendingDup.push(s);
    if (pendingDup.length >= 2) {
      const [x, y] = pendingDup.splice(0, 2) as [Seg, Seg];
      result.push(x, { ...y, seq: (y.seq + (y.payload.length >> 1)) >>> 0, payload: y.payload.subarray(y.payload.length >> 1) });
    }
  }
  result.push(...pendingDup);
  return result;
}
