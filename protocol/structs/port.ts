import { isUtf8 } from 'node:buffer';
import { OfEncodeError } from '../errors.js';
import type { Reader } from '../wire/reader.js';
import type { Writer } from '../wire/writer.js';

/** ofp_port (OpenFlow 1.3.5 §7.2.1): always 64 bytes on the wire. */
export interface Port {
  port_no: number;
  hw_addr: string;
  name: string;
  config: number;
  state: number;
  curr: number;
  advertised: number;
  supported: number;
  peer: number;
  curr_speed: number;
  max_speed: number;
}

export const OFP_PORT_LEN = 64;
export const OFP_MAX_PORT_NAME_LEN = 16;
export const OFP_ETH_ALEN = 6;

/** ofp_port_config bits. */
export const OFPPC = {
  PORT_DOWN: 1 << 0,
  NO_RECV: 1 << 2,
  NO_FWD: 1 << 5,
  NO_PACKET_IN: 1 << 6,
} as const;

/** ofp_port_state bits. */
export const OFPPS = {
  LINK_DOWN: 1 << 0,
  BLOCKED: 1 << 1,
  LIVE: 1 << 2,
} as const;

/** ofp_port_features bits (curr, advertised, supported, peer). */
export const OFPPF = {
  '10MB_HD': 1 << 0,
  '10MB_FD': 1 << 1,
  '100MB_HD': 1 << 2,
  '100MB_FD': 1 << 3,
  '1GB_HD': 1 << 4,
  '1GB_FD': 1 << 5,
  '10GB_FD': 1 << 6,
  '40GB_FD': 1 << 7,
  '100GB_FD': 1 << 8,
  '1TB_FD': 1 << 9,
  OTHER: 1 << 10,
  COPPER: 1 << 11,
  FIBER: 1 << 12,
  AUTONEG: 1 << 13,
  PAUSE: 1 << 14,
  PAUSE_ASYM: 1 << 15,
} as const;

/** A 6-byte Ethernet address as `aa:bb:cc:dd:ee:ff`. */
export function readMac(r: Reader, what = 'hw_addr'): string {
  const b = r.bytes(OFP_ETH_ALEN, what);
  let s = '';
  for (let i = 0; i < OFP_ETH_ALEN; i++) s += (i ? ':' : '') + b[i]!.toString(16).padStart(2, '0');
  return s;
}

const MAC_RE = /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/i;

export function writeMac(w: Writer, mac: string): void {
  if (!MAC_RE.test(mac)) throw new OfEncodeError(`not a MAC address: ${JSON.stringify(mac)}`);
  w.bytes(Buffer.from(mac.replace(/:/g, ''), 'hex'));
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Port names are C strings; switches (Ryu's test data among them) put UTF-8 in them, so
 * decode as UTF-8 and fall back to Latin-1 for bytes that are not valid UTF-8.
 */
function readName(r: Reader): string {
  const b = r.bytes(OFP_MAX_PORT_NAME_LEN, 'port name');
  let end = b.indexOf(0);
  if (end < 0) end = b.length;
  const raw = b.subarray(0, end);
  try {
    return utf8.decode(raw);
  } catch {
    return raw.toString('latin1');
  }
}

/**
 * The inverse of readName, so decode(encode(port)) gives the same name back: UTF-8 when it
 * fits the 16 bytes (a name read as 16 bytes without a NUL is written back the same way);
 * else the Latin-1 bytes readName fell back from; else cut to 15 bytes on a character
 * boundary, leaving room for the NUL.
 */
function nameBytes(name: string): Buffer {
  const u = Buffer.from(name, 'utf8');
  if (u.length <= OFP_MAX_PORT_NAME_LEN) return u;
  if (/^[\x01-\xff]*$/.test(name)) {
    const l = Buffer.from(name, 'latin1');
    if (l.length <= OFP_MAX_PORT_NAME_LEN && !isUtf8(l)) return l;
  }
  let cut = OFP_MAX_PORT_NAME_LEN - 1;
  while (cut > 0 && (u[cut]! & 0xc0) === 0x80) cut--;
  return u.subarray(0, cut);
}

function writeName(w: Writer, name: string): void {
  const b = nameBytes(name);
  w.bytes(b).zeros(OFP_MAX_PORT_NAME_LEN - b.length);
}

/** Reads one 64-byte ofp_port from `r`, which must hold at least that much. */
export function decodePort(r: Reader): Port {
  r.need(OFP_PORT_LEN, 'ofp_port');
  const port_no = r.u32('port_no');
  r.skip(4);
  const hw_addr = readMac(r);
  r.skip(2);
  const name = readName(r);
  return {
    port_no,
    hw_addr,
    name,
    config: r.u32('config'),
    state: r.u32('state'),
    curr: r.u32('curr'),
    advertised: r.u32('advertised'),
    supported: r.u32('supported'),
    peer: r.u32('peer'),
    curr_speed: r.u32('curr_speed'),
    max_speed: r.u32('max_speed'),
  };
}

export function encodePort(w: Writer, p: Port): void {
  w.u32(p.port_no).zeros(4);
  writeMac(w, p.hw_addr);
  w.zeros(2);
  writeName(w, p.name);
  w.u32(p.config).u32(p.state).u32(p.curr).u32(p.advertised).u32(p.supported).u32(p.peer);
  w.u32(p.curr_speed).u32(p.max_speed);
}
