import type { ByteSource } from './byte-source.js';
import { CaptureError } from './errors.js';

/** One captured packet: its link-layer bytes as captured (possibly cut at the snap length). */
export interface Packet {
  /** 1-based, counting every packet record in the file, like tshark's frame.number. */
  frame: number;
  /** LINKTYPE_* of the interface that captured it. */
  linkType: number;
  data: Buffer;
  /** Length on the wire; larger than data.length when the capture cut the packet short. */
  origLen: number;
  /** When it was captured, ms since the epoch (floored, as Date.now() is); undefined for a pcapng simple packet block, which has no time. */
  timeMs: number | undefined;
}

export type CaptureFormat = 'pcap' | 'pcapng';

const PCAP_MAGICS = new Map<number, { le: boolean; nano: boolean }>([
  [0xa1b2c3d4, { le: false, nano: false }], // microseconds, big-endian writer
  [0xa1b23c4d, { le: false, nano: true }], // nanoseconds
  [0xd4c3b2a1, { le: true, nano: false }],
  [0x4d3cb2a1, { le: true, nano: true }],
]);
const PCAPNG_SHB = 0x0a0d0d0a;

/** Which capture format the first four bytes announce, or undefined for anything else. */
export function sniffFormat(head: Buffer): CaptureFormat | undefined {
  if (head.length < 4) return undefined;
  const m = head.readUInt32BE(0);
  if (PCAP_MAGICS.has(m)) return 'pcap';
  if (m === PCAPNG_SHB) return 'pcapng';
  return undefined;
}

/**
 * Packets of a pcap or pcapng file, in file order; `head` is the first four bytes, already
 * taken from `src` to sniff the format. Throws CaptureError for a malformed file.
 */
export function* readPackets(src: ByteSource, head: Buffer): Generator<Packet> {
  const format = sniffFormat(head);
  if (format === 'pcap') yield* readPcap(src, head);
  else if (format === 'pcapng') yield* readPcapng(src, head);
  else throw new CaptureError('not a pcap or pcapng file');
}

function* readPcap(src: ByteSource, magic: Buffer): Generator<Packet> {
  const { le, nano } = PCAP_MAGICS.get(magic.readUInt32BE(0))!;
  const hdr = src.take(20);
  if (hdr.length < 20) throw new CaptureError('truncated pcap file header');
  // The upper bits of the link-type field carry FCS information (pcap-linktype(7)).
  const linkType = (le ? hdr.readUInt32LE(16) : hdr.readUInt32BE(16)) & 0xffff;
  let frame = 0;
  for (;;) {
    const rec = src.take(16);
    if (rec.length === 0) return;
    if (rec.length < 16) throw new CaptureError(`truncated pcap record header after frame ${frame}`);
    const inclLen = le ? rec.readUInt32LE(8) : rec.readUInt32BE(8);
    const origLen = le ? rec.readUInt32LE(12) : rec.readUInt32BE(12);
    if (inclLen > 0x4000000) throw new CaptureError(`pcap record ${frame + 1} claims ${inclLen} bytes`);
    const data = src.take(inclLen);
    if (data.length < inclLen) throw new CaptureError(`truncated pcap record ${frame + 1}`);
    frame++;
    const sec = le ? rec.readUInt32LE(0) : rec.readUInt32BE(0);
    const sub = le ? rec.readUInt32LE(4) : rec.readUInt32BE(4);
    const timeMs = sec * 1000 + Math.floor(nano ? sub / 1e6 : sub / 1e3);
    yield { frame, linkType, data, origLen: Math.max(origLen, inclLen), timeMs };
  }
}

const BT_SHB = 0x0a0d0d0a;
const BT_IDB = 1;
const BT_PB = 2; // obsolete Packet Block
const BT_SPB = 3;
const BT_EPB = 6;

interface Iface {
  linkType: number;
  snapLen: number;
  /** Timestamp units per second, and the offset (s) the interface adds to every timestamp. */
  perSecond: bigint;
  offsetS: bigint;
}

const OPT_TSRESOL = 9;
const OPT_TSOFFSET = 14;

function* readPcapng(src: ByteSource, first: Buffer): Generator<Packet> {
  let le = true;
  let ifaces: Iface[] = [];
  let frame = 0;
  let pendingType: Buffer | null = first;
  for (;;) {
    const typeBytes = pendingType ?? src.take(4);
    pendingType = null;
    if (typeBytes.length === 0) return;
    const lenBytes = src.take(4);
    if (typeBytes.length < 4 || lenBytes.length < 4) throw new CaptureError(`truncated pcapng block after frame ${frame}`);
    const isShb = typeBytes.readUInt32BE(0) === BT_SHB;
    let bodyHead = Buffer.alloc(0);
    if (isShb) {
      // Each section states its own byte order; the SHB's length can only be read after it.
      bodyHead = Buffer.from(src.take(4));
      if (bodyHead.length < 4) throw new CaptureError('truncated pcapng section header');
      const bom = bodyHead.readUInt32LE(0);
      if (bom === 0x1a2b3c4d) le = true;
      else if (bom === 0x4d3c2b1a) le = false;
      else throw new CaptureError('bad pcapng byte-order magic');
      ifaces = [];
    }
    const type = le ? typeBytes.readUInt32LE(0) : typeBytes.readUInt32BE(0);
    const total = le ? lenBytes.readUInt32LE(0) : lenBytes.readUInt32BE(0);
    if (total < 12 || total % 4 !== 0 || total > 0x4000000 || (isShb && total < 28)) {
      throw new CaptureError(`bad pcapng block length ${total} after frame ${frame}`);
    }
    const rest = src.take(total - 8 - bodyHead.length);
    if (rest.length < total - 8 - bodyHead.length) throw new CaptureError(`truncated pcapng block after frame ${frame}`);
    const body = rest.subarray(0, rest.length - 4); // trailing copy of the length
    const u16 = (o: number) => (le ? body.readUInt16LE(o) : body.readUInt16BE(o));
    const u32 = (o: number) => (le ? body.readUInt32LE(o) : body.readUInt32BE(o));
    const need = (n: number, what: string) => {
      if (body.length < n) throw new CaptureError(`truncated pcapng ${what} block after frame ${frame}`);
    };
    if (type === BT_IDB) {
      need(8, 'interface description');
      ifaces.push({ linkType: u16(0), snapLen: u32(4), ...ifaceClock(body.subarray(8), le) });
    } else if (type === BT_EPB || type === BT_PB) {
      need(20, 'packet');
      const ifId = type === BT_EPB ? u32(0) : u16(0);
      const capLen = u32(12);
      const origLen = u32(16);
      if (20 + capLen > body.length) throw new CaptureError(`pcapng packet ${frame + 1} runs past its block`);
      frame++;
      const ifc = iface(ifaces, ifId, frame);
      const ticks = (BigInt(u32(4)) << 32n) | BigInt(u32(8));
      const ns = (ticks * 1_000_000_000n) / ifc.perSecond + ifc.offsetS * 1_000_000_000n;
      yield { frame, linkType: ifc.linkType, data: body.subarray(20, 20 + capLen), origLen: Math.max(origLen, capLen), timeMs: Number(ns / 1_000_000n) };
    } else if (type === BT_SPB) {
      need(4, 'simple packet');
      const origLen = u32(0);
      frame++;
      const ifc = iface(ifaces, 0, frame);
      // The SPB has no captured length: it is the original length cut at the snap length.
      let capLen = Math.min(origLen, body.length - 4);
      if (ifc.snapLen > 0) capLen = Math.min(capLen, ifc.snapLen);
      yield { frame, linkType: ifc.linkType, data: body.subarray(4, 4 + capLen), origLen: Math.max(origLen, capLen), timeMs: undefined };
    }
    // Every other block (statistics, name resolution, custom...) carries no packets.
  }
}

function iface(ifaces: Iface[], id: number, frame: number): Iface {
  const i = ifaces[id];
  if (!i) throw new CaptureError(`pcapng packet ${frame} names interface ${id}, which is not described`);
  return i;
}

/** if_tsresol and if_tsoffset from an interface description block's options (default: microseconds, no offset). */
function ifaceClock(opts: Buffer, le: boolean): { perSecond: bigint; offsetS: bigint } {
  const clock = { perSecond: 1_000_000n, offsetS: 0n };
  let p = 0;
  while (p + 4 <= opts.length) {
    const code = le ? opts.readUInt16LE(p) : opts.readUInt16BE(p);
    const len = le ? opts.readUInt16LE(p + 2) : opts.readUInt16BE(p + 2);
    if (code === 0 || p + 4 + len > opts.length) break;
    const v = opts.subarray(p + 4, p + 4 + len);
    if (code === OPT_TSRESOL && len >= 1) {
      const r = v[0]!;
      // High bit set: a negative power of two; else a negative power of ten.
      clock.perSecond = r & 0x80 ? 1n << BigInt(r & 0x7f) : 10n ** BigInt(r);
    } else if (code === OPT_TSOFFSET && len >= 8) {
      clock.offsetS = le ? v.readBigInt64LE(0) : v.readBigInt64BE(0);
    }
    p += 4 + ((len + 3) & ~3);
  }
  return clock;
}
