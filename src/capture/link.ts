/**
 * Link layers down to the IP packet. Each entry knows where the network header starts and
 * how to tell which IP version follows; VLAN tags are skipped.
 */
export interface IpPayload {
  /** 4 or 6. */
  ipVersion: number;
  ip: Buffer;
}

const ETHERTYPE_IPV4 = 0x0800;
const ETHERTYPE_IPV6 = 0x86dd;
const VLAN_TAGS = new Set([0x8100, 0x88a8, 0x9100]);

type LinkParser = (d: Buffer) => IpPayload | undefined;

function byEthertype(ethertype: number, ip: Buffer): IpPayload | undefined {
  if (ethertype === ETHERTYPE_IPV4) return { ipVersion: 4, ip };
  if (ethertype === ETHERTYPE_IPV6) return { ipVersion: 6, ip };
  return undefined;
}

/** Raw IP and the BSD loopback headers: the first nibble says which IP it is. */
function byNibble(ip: Buffer): IpPayload | undefined {
  if (ip.length < 1) return undefined;
  const v = ip[0]! >> 4;
  return v === 4 || v === 6 ? { ipVersion: v, ip } : undefined;
}

function ethernet(d: Buffer): IpPayload | undefined {
  let off = 12;
  if (d.length < off + 2) return undefined;
  let et = d.readUInt16BE(off);
  while (VLAN_TAGS.has(et) && d.length >= off + 6) {
    off += 4;
    et = d.readUInt16BE(off);
  }
  return byEthertype(et, d.subarray(off + 2));
}

/** LINKTYPE_* number → parser (https://www.tcpdump.org/linktypes.html). */
export const LINK_TYPES = new Map<number, { name: string; parse: LinkParser }>([
  [1, { name: 'Ethernet', parse: ethernet }],
  // NULL carries the address family in the capturing host's byte order and LOOP in network
  // order; AF_INET6 differs between systems, so the IP version nibble decides instead.
  [0, { name: 'BSD loopback', parse: (d) => (d.length < 4 ? undefined : byNibble(d.subarray(4))) }],
  [108, { name: 'OpenBSD loopback', parse: (d) => (d.length < 4 ? undefined : byNibble(d.subarray(4))) }],
  [101, { name: 'raw IP', parse: byNibble }],
  [12, { name: 'raw IP (DLT_RAW)', parse: byNibble }],
  [14, { name: 'raw IP (OpenBSD DLT_RAW)', parse: byNibble }],
  [228, { name: 'raw IPv4', parse: (d) => ({ ipVersion: 4, ip: d }) }],
  [229, { name: 'raw IPv6', parse: (d) => ({ ipVersion: 6, ip: d }) }],
  [113, { name: 'Linux cooked (SLL)', parse: (d) => (d.length < 16 ? undefined : byEthertype(d.readUInt16BE(14), d.subarray(16))) }],
  [276, { name: 'Linux cooked v2 (SLL2)', parse: (d) => (d.length < 20 ? undefined : byEthertype(d.readUInt16BE(0), d.subarray(20))) }],
]);

/** The IP packet inside a frame, or undefined for other protocols and unknown link types. */
export function ipOf(linkType: number, data: Buffer): IpPayload | undefined {
  return LINK_TYPES.get(linkType)?.parse(data);
}
