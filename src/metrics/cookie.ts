/**
 * OpenKilda's 64-bit rule cookie, decoded from the cookie alone (no flow registry).
 * Layout: ../shared/reference/openkilda-stats.md §1. The cookie classification issue
 * extends this module; keep it free of metric names.
 */

/** A field is (cookie & mask) >> lowest set bit of mask. */
function field(cookie: bigint, mask: bigint): bigint {
  let shift = 0n;
  while (((mask >> shift) & 1n) === 0n) shift++;
  return (cookie & mask) >> shift;
}

const SERVICE_FLAG = 0x8000_0000_0000_0000n;
const TYPE_MASK = 0x1ff0_0000_0000_0000n;
const FORWARD = 0x4000_0000_0000_0000n;
const REVERSE = 0x2000_0000_0000_0000n;
const LOOP = 0x0008_0000_0000_0000n;
const MIRROR = 0x0004_0000_0000_0000n;
const Y_FLOW = 0x0002_0000_0000_0000n;
const HA_SERVER42 = 0x0001_0000_0000_0000n;
const SUB_TYPE = 0x0000_000f_0000_0000n;
const STATS_VLAN = 0x0000_0000_fff0_0000n;
const EFFECTIVE_ID = 0x0000_0000_000f_ffffn;

/** CookieType codes (bits 60..52) → OpenKilda's enum names. */
export const COOKIE_TYPES: ReadonlyMap<number, string> = new Map([
  [0x000, 'SERVICE_OR_FLOW_SEGMENT'],
  [0x001, 'LLDP_INPUT_CUSTOMER_TYPE'],
  [0x002, 'MULTI_TABLE_ISL_VLAN_EGRESS_RULES'],
  [0x003, 'MULTI_TABLE_ISL_VXLAN_EGRESS_RULES'],
  [0x004, 'MULTI_TABLE_ISL_VXLAN_TRANSIT_RULES'],
  [0x005, 'MULTI_TABLE_INGRESS_RULES'],
  [0x006, 'ARP_INPUT_CUSTOMER_TYPE'],
  [0x007, 'VLAN_STATS_PRE_INGRESS'],
  [0x008, 'SHARED_OF_FLOW'],
  [0x009, 'SERVER_42_FLOW_RTT_INPUT'],
  [0x00a, 'APPLICATION_MIRROR_FLOW'],
  [0x00b, 'EXCLUSION_FLOW'],
  [0x00c, 'SERVER_42_FLOW_RTT_INGRESS'],
  [0x00d, 'SERVER_42_ISL_RTT_INPUT'],
  [0x00e, 'LACP_REPLY_INPUT'],
  [0x00f, 'PING_INPUT'],
]);

/** Types a flow segment cookie may carry. */
const FLOW_SEGMENT_TYPES = new Set([0x000, 0x007, 0x00c]);
export const TYPE_SERVER_42_FLOW_RTT_INGRESS = 0x00c;

export type Direction = 'forward' | 'reverse' | 'undefined';

export interface CookieInfo {
  cookie: bigint;
  /** Bit 63: the switch's own service rule, not a flow's. */
  service: boolean;
  typeCode: number;
  /** OpenKilda's CookieType name, or 'INVALID' for an unknown code. */
  typeName: string;
  forward: boolean;
  reverse: boolean;
  /** From the direction bits: one set gives its direction, neither (or both) 'undefined'. */
  direction: Direction;
  loop: boolean;
  mirror: boolean;
  yFlow: boolean;
  haServer42: boolean;
  subType: number;
  statsVlan: number;
  effectiveId: number;
  /** A valid FlowSegmentCookie: flow rule, type 0/7/0xC, not both directions. */
  validFlowSegment: boolean;
}

export function decodeCookie(cookie: bigint): CookieInfo {
  const c = BigInt.asUintN(64, cookie);
  const service = (c & SERVICE_FLAG) !== 0n;
  const typeCode = Number(field(c, TYPE_MASK));
  const forward = (c & FORWARD) !== 0n;
  const reverse = (c & REVERSE) !== 0n;
  return {
    cookie: c,
    service,
    typeCode,
    typeName: COOKIE_TYPES.get(typeCode) ?? 'INVALID',
    forward,
    reverse,
    direction: forward === reverse ? 'undefined' : forward ? 'forward' : 'reverse',
    loop: (c & LOOP) !== 0n,
    mirror: (c & MIRROR) !== 0n,
    yFlow: (c & Y_FLOW) !== 0n,
    haServer42: (c & HA_SERVER42) !== 0n,
    subType: Number(field(c, SUB_TYPE)),
    statsVlan: Number(field(c, STATS_VLAN)),
    effectiveId: Number(field(c, EFFECTIVE_ID)),
    validFlowSegment: !service && FLOW_SEGMENT_TYPES.has(typeCode) && !(forward && reverse),
  };
}

/** OpenKilda's cookieHex tag: `0x` and 16 upper-case hex digits. */
export function cookieHex(cookie: bigint): string {
  return '0x' + BigInt.asUintN(64, cookie).toString(16).toUpperCase().padStart(16, '0');
}

/** OpenKilda's cookie tag: the cookie as a signed 64-bit decimal (Java's long). */
export function cookieSigned(cookie: bigint): string {
  return BigInt.asIntN(64, cookie).toString();
}
