/**
 * Just enough of libpcap's classic format to pull OpenFlow bytes out of Ryu's three small
 * captures: Ethernet / IPv4 / TCP, payloads concatenated per direction in capture order.
 * (No reassembly of reordered segments: these captures have none. The product's reader in
 * src/capture handles the general case.)
 */
export interface TcpFlow {
  src: string;
  dst: string;
  firstFrame: number;
  bytes: Buffer;
}

export function tcpFlowsFromPcap(file: Buffer): TcpFlow[] {
  const magic = file.readUInt32LE(0);
  const le = magic === 0xa1b2c3d4 || magic === 0xa1b23c4d;
  if (!le && file.readUInt32BE(0) !== 0xa1b2c3d4 && file.readUInt32BE(0) !== 0xa1b23c4d) throw new Error('not a classic pcap file');
  const u32 = (at: number) => (le ? file.readUInt32LE(at) : file.readUInt32BE(at));
  const linktype = u32(20);
  const flows = new Map<string, { src: string; dst: string; firstFrame: number; parts: Buffer[] }>();
  let at = 24;
  for (let frame = 1; at + 16 <= file.length; frame++) {
    const caplen = u32(at + 8);
    const pkt = file.subarray(at + 16, at + 16 + caplen);
    at += 16 + caplen;
    let ip: number;
    if (linktype === 1) ip = pkt.readUInt16BE(12) === 0x0800 ? 14 : -1;
    else if (linktype === 113) ip = pkt.readUInt16BE(14) === 0x0800 ? 16 : -1;
    else if (linktype === 0) ip = 4;
    else ip = 0;
    if (ip < 0 || (pkt[ip]! >> 4) !== 4 || pkt[ip + 9] !== 6) continue;
    const ihl = (pkt[ip]! & 15) * 4;
    const total = pkt.readUInt16BE(ip + 2);
    const tcp = ip + ihl;
    const off = (pkt[tcp + 12]! >> 4) * 4;
    const payload = pkt.subarray(tcp + off, ip + total);
    if (payload.length === 0) continue;
    const addr = (o: number) => [...pkt.subarray(o, o + 4)].join('.');
    const src = `${addr(ip + 12)}:${pkt.readUInt16BE(tcp)}`;
    const dst = `${addr(ip + 16)}:${pkt.readUInt16BE(tcp + 2)}`;
    const key = `${src}>${dst}`;
    let f = flows.get(key);
    if (!f) flows.set(key, (f = { src, dst, firstFrame: frame, parts: [] }));
    f.parts.push(Buffer.from(payload));
  }
  return [...flows.values()].map((f) => ({ src: f.src, dst: f.dst, firstFrame: f.firstFrame, bytes: Buffer.concat(f.parts) }));
}

/** Split a byte stream on OpenFlow header lengths (a length below 8 ends the walk). */
export function splitMessages(bytes: Buffer): Buffer[] {
  const out: Buffer[] = [];
  for (let at = 0; at + 8 <= bytes.length;) {
    const len = bytes.readUInt16BE(at + 2);
    if (len < 8 || at + len > bytes.length) {
      out.push(bytes.subarray(at));
      break;
    }
    out.push(bytes.subarray(at, at + len));
    at += len;
  }
  return out;
}
