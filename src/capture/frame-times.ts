/**
 * When each packet of a pcap/pcapng file was captured. capture-file.ts yields packets without
 * their timestamps; this walks the same records and keys each packet's time by the file
 * position where its record ends, which is where a ByteSource given to readPackets (and so
 * decodeCapture) stands while that packet is being processed. A message completed by a
 * packet is therefore dated by `timeAt(source.position)` inside the capture sink's callback.
 */
import type { ByteSource } from './byte-source.js';
import { sniffFormat } from './capture-file.js';
import { CaptureError } from './errors.js';

export interface FrameTimes {
  /** ms since the epoch (floored, as Date.now() is) of the packet whose record ends at `position`; undefined if none does or it has no time. */
  timeAt(position: number): number | undefined;
  /** Packets with no timestamp of their own (pcapng simple packet blocks). */
  readonly untimed: number;
}

const NS_PER_MS = 1_000_000n;

/** Reads every record header of the file; the source is consumed. Throws CaptureError for a file that is not a capture. */
export function readFrameTimes(src: ByteSource): FrameTimes {
  const times = new Map<number, number>();
  let untimed = 0;
  const head = src.take(4);
  const format = sniffFormat(head);
  if (format === 'pcap') walkPcap(src, head, times);
  else if (format === 'pcapng') untimed = walkPcapng(src, head, times);
  else throw new CaptureError('not a pcap or pcapng file');
  return { timeAt: (p) => times.get(p), untimed };
}

function walkPcap(src: ByteSource, magic: Buffer, times: Map<number, number>): void {
  const m = magic.readUInt32BE(0);
  const le = m === 0xd4c3b2a1 || m === 0x4d3cb2a1;
  const nano = m === 0xa1b23c4d || m === 0x4d3cb2a1;
  if (src.take(20).length < 20) throw new CaptureError('truncated pcap file header');
  for (;;) {
    const rec = src.take(16);
    if (rec.length < 16) return;
    const u32 = (o: number) => (le ? rec.readUInt32LE(o) : rec.readUInt32BE(o));
    const incl = u32(8);
    if (src.take(incl).length < incl) return;
    const sub = u32(4);
    times.set(src.position, u32(0) * 1000 + Math.floor(nano ? sub / 1e6 : sub / 1e3));
  }
}

interface IfaceClock {
  /** Timestamp units per second, and the offset (s) the interface adds to every timestamp. */
  perSecond: bigint;
  offsetS: bigint;
}

const BT_SHB = 0x0a0d0d0a;
const BT_IDB = 1;
const BT_PB = 2;
const BT_SPB = 3;
const BT_EPB = 6;
const OPT_TSRESOL = 9;
const OPT_TSOFFSET = 14;

function walkPcapng(src: ByteSource, first: Buffer, times: Map<number, number>): number {
  let le = true;
  let ifaces: IfaceClock[] = [];
  let untimed = 0;
  let pendingType: Buffer | null = first;
  for (;;) {
    const typeBytes = pendingType ?? src.take(4);
    pendingType = null;
    const lenBytes = src.take(4);
    if (typeBytes.length < 4 || lenBytes.length < 4) return untimed;
    let bomBytes = Buffer.alloc(0);
    if (typeBytes.readUInt32BE(0) === BT_SHB) {
      bomBytes = Buffer.from(src.take(4));
      if (bomBytes.length < 4) return untimed;
      le = bomBytes.readUInt32LE(0) === 0x1a2b3c4d;
      ifaces = [];
    }
    const type = le ? typeBytes.readUInt32LE(0) : typeBytes.readUInt32BE(0);
    const total = le ? lenBytes.readUInt32LE(0) : lenBytes.readUInt32BE(0);
    if (total < 12 + bomBytes.length) return untimed;
    const rest = src.take(total - 8 - bomBytes.length);
    if (rest.length < total - 8 - bomBytes.length) return untimed;
    const body = rest.subarray(0, rest.length - 4);
    const u16 = (o: number) => (le ? body.readUInt16LE(o) : body.readUInt16BE(o));
    const u32 = (o: number) => (le ? body.readUInt32LE(o) : body.readUInt32BE(o));
    if (type === BT_IDB && body.length >= 8) {
      ifaces.push(ifaceClock(body.subarray(8), le));
    } else if ((type === BT_EPB || type === BT_PB) && body.length >= 20) {
      const clock = ifaces[type === BT_EPB ? u32(0) : u16(0)];
      if (clock === undefined) untimed++;
      else {
        const ticks = (BigInt(u32(4)) << 32n) | BigInt(u32(8));
        const ns = (ticks * 1_000_000_000n) / clock.perSecond + clock.offsetS * 1_000_000_000n;
        times.set(src.position, Number(ns / NS_PER_MS));
      }
    } else if (type === BT_SPB) {
      untimed++;
    }
  }
}

/** if_tsresol and if_tsoffset from an interface description block's options (default: microseconds, no offset). */
function ifaceClock(opts: Buffer, le: boolean): IfaceClock {
  const clock: IfaceClock = { perSecond: 1_000_000n, offsetS: 0n };
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
