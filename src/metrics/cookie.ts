/**
 * OpenKilda's 64-bit rule cookie, decoded from the cookie alone (no flow registry).
 * Layout: ../shared/reference/openkilda-stats.md §1. The cookie classification issue
 * extends this module; keep it free of metric names.
 */

/** A field is (cookie & mask) >> lowest set bit of mask. */
function field(cookie: bigint, mask: bigint): bigint {
  let shift = SHIFTS.get(mask);
  if (shift === undefined) {
    // The masks are a handful of constants: find each one's shift once, not per cookie.
    shift = BigInt((mask & -mask).toString(2).length - 1);
    SHIFTS.set(mask, shift);
  }
  return (cookie & mask) >> shift;
}
const SHIFTS = new Map<bigint, bigint>();

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

/** decodeCookie(cookie).service without decoding the rest (checked on every poll). */
export function isServiceCookie(cookie: bigint): boolean {
  return (BigInt.asUintN(64, cookie) & SERVICE_FLAG) !== 0n;
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

/**
 * What a cookie is, by OpenKilda's cookie classes: a flow segment, a switch's service rule,
 * a port colour rule, a shared (QinQ) segment, an exclusion rule, or none of them.
 */
export type CookieKind = 'flow' | 'service' | 'port_colour' | 'shared' | 'exclusion' | 'invalid';

/** ServiceCookieTag values (bits 31..0 of a service cookie) → OpenKilda's enum names. */
export const SERVICE_TAGS: ReadonlyMap<number, string> = new Map(
  [
    'DROP_RULE', 'VERIFICATION_BROADCAST_RULE', 'VERIFICATION_UNICAST_RULE', 'DROP_VERIFICATION_LOOP_RULE',
    'CATCH_BFD_RULE', 'ROUND_TRIP_LATENCY_RULE', 'VERIFICATION_UNICAST_VXLAN_RULE',
    'MULTITABLE_PRE_INGRESS_PASS_THROUGH', 'MULTITABLE_INGRESS_DROP', 'MULTITABLE_POST_INGRESS_DROP',
    'MULTITABLE_EGRESS_PASS_THROUGH', 'MULTITABLE_TRANSIT_DROP',
    'LLDP_INPUT_PRE_DROP', 'LLDP_TRANSIT', 'LLDP_INGRESS', 'LLDP_POST_INGRESS', 'LLDP_POST_INGRESS_VXLAN',
    'LLDP_POST_INGRESS_ONE_SWITCH',
    'ARP_INPUT_PRE_DROP', 'ARP_TRANSIT', 'ARP_INGRESS', 'ARP_POST_INGRESS', 'ARP_POST_INGRESS_VXLAN',
    'ARP_POST_INGRESS_ONE_SWITCH',
    'SERVER_42_FLOW_RTT_OUTPUT_VLAN', 'SERVER_42_FLOW_RTT_OUTPUT_VXLAN', 'SERVER_42_FLOW_RTT_TURNING',
    'SERVER_42_ISL_RTT_OUTPUT', 'SERVER_42_ISL_RTT_TURNING', 'SERVER_42_FLOW_RTT_VXLAN_TURNING',
    'DROP_SLOW_PROTOCOLS_LOOP',
  ].map((name, i) => [i + 1, name] as const),
);

const TYPE_SHARED_OF_FLOW = 0x008;
const TYPE_EXCLUSION_FLOW = 0x00b;
/** Types a port colour cookie (service flag set) may carry. */
const PORT_COLOUR_TYPES = new Set([0x001, 0x002, 0x003, 0x004, 0x005, 0x006, 0x009, 0x00d, 0x00e, 0x00f]);
const SERVICE_TAG = 0x0000_0000_ffff_ffffn;
const COLOUR_PORT = 0x0000_0000_ffff_ffffn;
const SHARED_TYPE = 0x000f_0000_0000_0000n;
const SHARED_VLAN = 0x0000_0000_0fff_0000n;
const SHARED_PORT = 0x0000_0000_0000_ffffn;

/** The cookie's class and the fields only that class has. */
export interface CookieClass {
  kind: CookieKind;
  /** Service cookie: the ServiceCookieTag name. */
  serviceTag?: string;
  /** Port colour: bits 31..0; shared segment: bits 15..0. */
  port?: number;
  /** Shared segment: the outer VLAN, bits 27..16. */
  vlan?: number;
  /** Shared segment: SharedSegmentType, bits 51..48 (0 QinQ outer VLAN, 1 server42 QinQ outer VLAN). */
  sharedType?: number;
}

/** Classifies a cookie the way OpenKilda's cookie classes validate it (reference page §1). */
export function classifyCookie(c: CookieInfo): CookieClass {
  if (!COOKIE_TYPES.has(c.typeCode)) return { kind: 'invalid' };
  const v = c.cookie;
  if (c.service) {
    if (c.typeCode === 0) {
      const tag = SERVICE_TAGS.get(Number(v & SERVICE_TAG));
      return tag === undefined ? { kind: 'invalid' } : { kind: 'service', serviceTag: tag };
    }
    if (PORT_COLOUR_TYPES.has(c.typeCode)) return { kind: 'port_colour', port: Number(v & COLOUR_PORT) };
    return { kind: 'invalid' };
  }
  if (c.typeCode === TYPE_SHARED_OF_FLOW) {
    return { kind: 'shared', port: Number(v & SHARED_PORT), vlan: Number(field(v, SHARED_VLAN)), sharedType: Number(field(v, SHARED_TYPE)) };
  }
  if (c.forward && c.reverse) return { kind: 'invalid' };
  if (c.typeCode === TYPE_EXCLUSION_FLOW) return { kind: 'exclusion' };
  return { kind: c.validFlowSegment ? 'flow' : 'invalid' };
}

/**
 * The `ofstats cookie` object: every field always present, null where it does not apply to
 * the cookie's kind. Field names are the issue's; keep them stable, scripts parse them.
 */
export interface CookieDescription {
  cookie: string;
  kind: CookieKind;
  type: string;
  direction: Direction | null;
  flow_effective_id: number | null;
  loop: boolean | null;
  mirror: boolean | null;
  y_flow: boolean | null;
  ha_server42: boolean | null;
  sub_type: number | null;
  stats_vlan: number | null;
  service_tag: string | null;
  port: number | null;
}

export function describeCookie(cookie: bigint): CookieDescription {
  const c = decodeCookie(cookie);
  const k = classifyCookie(c);
  const d: CookieDescription = {
    cookie: cookieHex(c.cookie),
    kind: k.kind,
    type: c.typeName,
    direction: null,
    flow_effective_id: null,
    loop: null,
    mirror: null,
    y_flow: null,
    ha_server42: null,
    sub_type: null,
    stats_vlan: null,
    service_tag: null,
    port: null,
  };
  switch (k.kind) {
    case 'flow':
      Object.assign(d, {
        direction: c.direction,
        flow_effective_id: c.effectiveId,
        loop: c.loop,
        mirror: c.mirror,
        y_flow: c.yFlow,
        ha_server42: c.haServer42,
        sub_type: c.subType,
        stats_vlan: c.statsVlan,
      });
      break;
    case 'exclusion':
      // ExclusionCookie keeps its exclusion id where a flow cookie keeps the effective id.
      Object.assign(d, { direction: c.direction, flow_effective_id: c.effectiveId });
      break;
    case 'service':
      d.service_tag = k.serviceTag!;
      break;
    case 'port_colour':
      Object.assign(d, { sub_type: c.subType, port: k.port });
      break;
    case 'shared':
      Object.assign(d, { sub_type: k.sharedType, stats_vlan: k.vlan, port: k.port });
      break;
    case 'invalid':
      break;
  }
  return d;
}

export { parseCookie } from '../registry/cookie-text.js';
