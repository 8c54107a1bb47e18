import { OfEncodeError } from '../errors.js';
import type { Reader } from '../wire/reader.js';
import type { Writer } from '../wire/writer.js';
import { readCString, writeCString } from '../wire/text.js';

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


/** Reads one 64-byte ofp_port from `r`, which must hold at least that much. */
export function decodePort(r: Reader): Port {
  r.need(OFP_PORT_LEN, 'ofp_port');
  const port_no = r.u32('port_no');
  r.skip(4);
  const hw_addr = readMac(r);
  r.skip(2);
  const name = readCString(r, OFP_MAX_PORT_NAME_LEN, 'port name');
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
  writeCString(w, p.name, OFP_MAX_PORT_NAME_LEN);
  w.u32(p.config).u32(p.state).u32(p.curr).u32(p.advertised).u32(p.supported).u32(p.peer);
  w.u32(p.curr_speed).u32(p.max_speed);
}
