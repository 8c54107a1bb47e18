import type { IpPayload } from './link.js';

export const TCP_FIN = 0x01;
export const TCP_SYN = 0x02;
export const TCP_RST = 0x04;
export const TCP_ACK = 0x10;

/** A TCP segment as captured; `payload` may be shorter than `payloadLen` in a cut-short frame. */
export interface TcpSegment {
  src: string;
  dst: string;
  seq: number;
  ack: number;
  flags: number;
  payload: Buffer;
  /** Payload length on the wire (from the IP length fields). */
  payloadLen: number;
}

const IPPROTO_TCP = 6;
/** IPv6 extension headers that can precede TCP, each with the generic (next, len) layout. */
const IPV6_EXT = new Set([0, 43, 60, 135, 139, 140]);
const IPV6_FRAGMENT = 44;
const IPV6_AH = 51;

/**
 * The TCP segment in an IP packet, or undefined when it is not TCP, is an IP fragment
 * (loopback and OpenFlow sessions do not fragment; reassembling IP is out of scope), or is
 * too short to hold the headers.
 */
export function tcpOf(p: IpPayload): TcpSegment | undefined {
  return p.ipVersion === 4 ? ipv4(p.ip) : ipv6(p.ip);
}

function ipv4(b: Buffer): TcpSegment | undefined {
  if (b.length < 20) return undefined;
  const ihl = (b[0]! & 0x0f) * 4;
  const total = b.readUInt16BE(2);
  const frag = b.readUInt16BE(6);
  if (ihl < 20 || b[9] !== IPPROTO_TCP || (frag & 0x3fff) !== 0) return undefined;
  // TSO captures write 0 in the total length; the frame's own length is all there is then.
  const wireLen = total === 0 ? b.length : total;
  if (wireLen < ihl) return undefined;
  const src = `${b[12]}.${b[13]}.${b[14]}.${b[15]}`;
  const dst = `${b[16]}.${b[17]}.${b[18]}.${b[19]}`;
  return tcp(b.subarray(ihl, Math.min(b.length, wireLen)), wireLen - ihl, src, dst);
}

function ipv6(b: Buffer): TcpSegment | undefined {
  if (b.length < 40) return undefined;
  const payloadLen = b.readUInt16BE(4);
  let next = b[6]!;
  let off = 40;
  while (next !== IPPROTO_TCP) {
    if (next === IPV6_FRAGMENT || b.length < off + 8) return undefined;
    if (IPV6_EXT.has(next)) {
      const len = (b[off + 1]! + 1) * 8;
      next = b[off]!;
      off += len;
    } else if (next === IPV6_AH) {
      const len = (b[off + 1]! + 2) * 4;
      next = b[off]!;
      off += len;
    } else {
      return undefined;
    }
  }
  if (off > b.length) return undefined;
  const wireEnd = payloadLen === 0 ? b.length : 40 + payloadLen; // 0: jumbogram or TSO
  if (wireEnd < off) return undefined;
  return tcp(b.subarray(off, Math.min(b.length, wireEnd)), wireEnd - off, ipv6Text(b.subarray(8, 24)), ipv6Text(b.subarray(24, 40)));
}

function tcp(t: Buffer, wireLen: number, srcIp: string, dstIp: string): TcpSegment | undefined {
  if (t.length < 20) return undefined;
  const dataOff = (t[12]! >> 4) * 4;
  if (dataOff < 20 || dataOff > t.length || dataOff > wireLen) return undefined;
  const sport = t.readUInt16BE(0);
  const dport = t.readUInt16BE(2);
  return {
    src: endpoint(srcIp, sport),
    dst: endpoint(dstIp, dport),
    seq: t.readUInt32BE(4),
    ack: t.readUInt32BE(8),
    flags: t[13]!,
    payload: t.subarray(dataOff),
    payloadLen: wireLen - dataOff,
  };
}

function endpoint(ip: string, port: number): string {
  return ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`;
}

/** RFC 5952 text: lower case, leading zeros dropped, the longest run (>= 2) of zero groups as `::`. */
export function ipv6Text(b: Buffer): string {
  const g: number[] = [];
  for (let i = 0; i < 16; i += 2) g.push(b.readUInt16BE(i));
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (g[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > bestLen) {
      best = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = (a: number[]) => a.map((x) => x.toString(16)).join(':');
  if (best < 0) return hex(g);
  return `${hex(g.slice(0, best))}::${hex(g.slice(best + bestLen))}`;
}
