import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cookieHex, cookieSigned, decodeCookie, describeCookie, parseCookie, SERVICE_TAGS } from '../../src/metrics/cookie.js';
import { satelliteTags } from '../../src/metrics/flow.js';

// The vectors of ../shared/reference/openkilda-stats.md §2 (OpenKilda's tests and builders).
const VECTORS: [bigint, Partial<ReturnType<typeof decodeCookie>>][] = [
  [0x4000000000000001n, { direction: 'forward', effectiveId: 1, validFlowSegment: true }],
  [0x2000000000000001n, { direction: 'reverse', effectiveId: 1, validFlowSegment: true }],
  [0x6000000000000001n, { validFlowSegment: false }],
  [0x400000000000000an, { direction: 'forward', effectiveId: 10, typeCode: 0, validFlowSegment: true }],
  [0x40c000000000000an, { direction: 'forward', effectiveId: 10, typeCode: 0x00c, typeName: 'SERVER_42_FLOW_RTT_INGRESS', validFlowSegment: true }],
  [0x400000010000000an, { direction: 'forward', effectiveId: 10, subType: 1, haServer42: false }],
  [0x400100010000000an, { direction: 'forward', effectiveId: 10, subType: 1, haServer42: true }],
  [0x200000000000000fn, { direction: 'reverse', effectiveId: 15 }],
  [0x400400000000000fn, { direction: 'forward', effectiveId: 15, mirror: true, loop: false }],
  [0x400800000000000fn, { direction: 'forward', effectiveId: 15, loop: true, mirror: false }],
  [0x400200000000000fn, { direction: 'forward', effectiveId: 15, yFlow: true }],
  [0x200200000000000fn, { direction: 'reverse', effectiveId: 15, yFlow: true }],
  [0x407000000040000fn, { direction: 'forward', effectiveId: 15, typeCode: 0x007, statsVlan: 4, validFlowSegment: true }],
  [0x207000000050000fn, { direction: 'reverse', effectiveId: 15, typeCode: 0x007, statsVlan: 5 }],
  [0x4000000100000001n, { direction: 'forward', effectiveId: 1, subType: 1 }],
  [0x2000000200000002n, { direction: 'reverse', effectiveId: 2, subType: 2 }],
  [0x8000000000000002n, { service: true, typeCode: 0, validFlowSegment: false }],
  [0x8050000000000005n, { service: true, typeCode: 0x005, typeName: 'MULTI_TABLE_INGRESS_RULES' }],
  [0x8090000100000007n, { service: true, typeCode: 0x009, subType: 1 }],
  [0x008000000064000an, { service: false, typeCode: 0x008, typeName: 'SHARED_OF_FLOW', validFlowSegment: false }],
  [0x40b0000000000005n, { direction: 'forward', typeCode: 0x00b, typeName: 'EXCLUSION_FLOW', effectiveId: 5, validFlowSegment: false }],
];

for (const [cookie, want] of VECTORS) {
  test(`cookie ${cookieHex(cookie)}`, () => {
    const got = decodeCookie(cookie);
    for (const [k, v] of Object.entries(want)) assert.equal(got[k as keyof typeof got], v, k);
  });
}

test('an unknown type code is INVALID', () => {
  assert.equal(decodeCookie(0x01f0000000000000n).typeName, 'INVALID');
});

test('cookieHex is 0x + 16 upper-case digits; cookie tag is signed decimal (Java long)', () => {
  assert.equal(cookieHex(0x8000000000000002n), '0x8000000000000002');
  assert.equal(cookieHex(0xabn), '0x00000000000000AB');
  assert.equal(cookieSigned(0x4000000000000001n), '4611686018427387905');
  assert.equal(cookieSigned(0x8000000000000002n), '-9223372036854775806');
  assert.equal(cookieSigned(0xffffffffffffffffn), '-1');
});

test('satellite tags follow the reference page §3', () => {
  // Plain forward flow segment: not a satellite, and no satellite detail tags.
  assert.deepEqual(satelliteTags(decodeCookie(0x400000000000000an)), {
    type: 'service_or_flow_segment', is_flow_satellite: 'false',
  });
  // Mirror: a satellite with a valid cookie, so its detail tags are there.
  assert.deepEqual(satelliteTags(decodeCookie(0x400400000000000fn)), {
    type: 'service_or_flow_segment', is_flow_satellite: 'true',
    is_mirror: 'true', is_loop: 'false', is_flowrtt_inject: 'false',
  });
  assert.equal(satelliteTags(decodeCookie(0x400800000000000fn)).is_loop, 'true');
  // Type 0xC: satellite (type is not 0), valid, flow-RTT inject.
  assert.deepEqual(satelliteTags(decodeCookie(0x40c000000000000an)), {
    type: 'server_42_flow_rtt_ingress', is_flow_satellite: 'true',
    is_mirror: 'false', is_loop: 'false', is_flowrtt_inject: 'true',
  });
  // Not a valid flow segment cookie: satellite, without detail tags.
  assert.deepEqual(satelliteTags(decodeCookie(0x6000000000000001n)), {
    type: 'service_or_flow_segment', is_flow_satellite: 'true',
  });
  assert.deepEqual(satelliteTags(decodeCookie(0x008000000064000an)), {
    type: 'shared_of_flow', is_flow_satellite: 'true',
  });
  // A cookie with no direction bits (plain OVS rules, cookie 0).
  assert.deepEqual(satelliteTags(decodeCookie(0n)), {
    type: 'service_or_flow_segment', is_flow_satellite: 'false',
  });
});

// ---- classification and the `ofstats cookie` object, every vector of the reference page ----

const NONE = {
  direction: null, flow_effective_id: null, loop: null, mirror: null, y_flow: null, ha_server42: null,
  sub_type: null, stats_vlan: null, service_tag: null, port: null,
};
const FLAGS_OFF = { loop: false, mirror: false, y_flow: false, ha_server42: false };
/** A flow segment cookie's description: type 0, no flags, sub-type 0, stats VLAN 0 unless given. */
function flow(direction: string, id: number, extra: Record<string, unknown> = {}) {
  return {
    ...NONE, kind: 'flow', type: 'SERVICE_OR_FLOW_SEGMENT', direction, flow_effective_id: id,
    ...FLAGS_OFF, sub_type: 0, stats_vlan: 0, ...extra,
  };
}

const DESCRIBED: [string, Record<string, unknown>][] = [
  // OpenKilda's own tests.
  ['0x4000000000000001', flow('forward', 1)],
  ['0x2000000000000001', flow('reverse', 1)],
  ['0x6000000000000001', { ...NONE, kind: 'invalid', type: 'SERVICE_OR_FLOW_SEGMENT' }],
  // Computed from its builders (reference page §2).
  ['0x400000000000000A', flow('forward', 10)],
  ['0x40C000000000000A', flow('forward', 10, { type: 'SERVER_42_FLOW_RTT_INGRESS' })],
  ['0x400000010000000A', flow('forward', 10, { sub_type: 1 })],
  ['0x400100010000000A', flow('forward', 10, { sub_type: 1, ha_server42: true })],
  ['0x200000000000000F', flow('reverse', 15)],
  ['0x400400000000000F', flow('forward', 15, { mirror: true })],
  ['0x400800000000000F', flow('forward', 15, { loop: true })],
  ['0x400200000000000F', flow('forward', 15, { y_flow: true })],
  ['0x200200000000000F', flow('reverse', 15, { y_flow: true })],
  ['0x407000000040000F', flow('forward', 15, { type: 'VLAN_STATS_PRE_INGRESS', stats_vlan: 4 })],
  ['0x207000000050000F', flow('reverse', 15, { type: 'VLAN_STATS_PRE_INGRESS', stats_vlan: 5 })],
  ['0x4000000100000001', flow('forward', 1, { sub_type: 1 })],
  ['0x2000000200000002', flow('reverse', 2, { sub_type: 2 })],
  ['0x8000000000000002', { ...NONE, kind: 'service', type: 'SERVICE_OR_FLOW_SEGMENT', service_tag: 'VERIFICATION_BROADCAST_RULE' }],
  ['0x8050000000000005', { ...NONE, kind: 'port_colour', type: 'MULTI_TABLE_INGRESS_RULES', sub_type: 0, port: 5 }],
  ['0x8090000100000007', { ...NONE, kind: 'port_colour', type: 'SERVER_42_FLOW_RTT_INPUT', sub_type: 1, port: 7 }],
  ['0x008000000064000A', { ...NONE, kind: 'shared', type: 'SHARED_OF_FLOW', sub_type: 0, stats_vlan: 100, port: 10 }],
  ['0x40B0000000000005', { ...NONE, kind: 'exclusion', type: 'EXCLUSION_FLOW', direction: 'forward', flow_effective_id: 5 }],
];

for (const [hex, want] of DESCRIBED) {
  test(`describeCookie ${hex}`, () => {
    assert.deepEqual({ ...describeCookie(BigInt(hex)) }, { cookie: hex, ...want });
  });
}

test('the 31 service tags, in the page order, with the ARP twins of 0x0D..0x12', () => {
  const want: [number, string][] = [
    [0x01, 'DROP_RULE'], [0x05, 'CATCH_BFD_RULE'], [0x0c, 'MULTITABLE_TRANSIT_DROP'],
    [0x0d, 'LLDP_INPUT_PRE_DROP'], [0x12, 'LLDP_POST_INGRESS_ONE_SWITCH'],
    [0x13, 'ARP_INPUT_PRE_DROP'], [0x14, 'ARP_TRANSIT'], [0x15, 'ARP_INGRESS'], [0x16, 'ARP_POST_INGRESS'],
    [0x17, 'ARP_POST_INGRESS_VXLAN'], [0x18, 'ARP_POST_INGRESS_ONE_SWITCH'],
    [0x19, 'SERVER_42_FLOW_RTT_OUTPUT_VLAN'], [0x1e, 'SERVER_42_FLOW_RTT_VXLAN_TURNING'], [0x1f, 'DROP_SLOW_PROTOCOLS_LOOP'],
  ];
  assert.equal(SERVICE_TAGS.size, 31);
  for (const [tag, name] of want) {
    assert.equal(describeCookie(0x8000000000000000n | BigInt(tag)).service_tag, name, `tag ${tag}`);
  }
});

test('cookies no OpenKilda class accepts are invalid, with every other field null', () => {
  for (const c of [
    0x8000000000000000n, // service flag, tag 0
    0x8000000000000020n, // tag 0x20: not one of the 31
    0x8070000000000001n, // service flag with type 0x007: neither service nor port colour
    0x80b0000000000001n, // service flag with exclusion type
    0x00a0000000000001n, // APPLICATION_MIRROR_FLOW without the service flag: not a flow segment type
    0x0050000000000001n, // port colour type without the service flag
    0x01f0000000000000n, // unknown type code
    0x60b0000000000005n, // exclusion with both directions
  ]) {
    const d = describeCookie(c);
    assert.equal(d.kind, 'invalid', cookieHex(c));
    assert.deepEqual({ ...d, cookie: undefined, kind: undefined, type: undefined }, { ...NONE, cookie: undefined, kind: undefined, type: undefined });
  }
  assert.equal(describeCookie(0x01f0000000000000n).type, 'INVALID');
});

test('a cookie with neither direction bit is a flow with direction undefined (OVS rules with cookie 0)', () => {
  assert.equal(describeCookie(0n).kind, 'flow');
  assert.equal(describeCookie(0n).direction, 'undefined');
});

test('shared cookie: server42 QinQ shared type and the widest VLAN and port', () => {
  const d = describeCookie(0x0081_0000_0fff_ffffn);
  assert.deepEqual([d.kind, d.sub_type, d.stats_vlan, d.port], ['shared', 1, 0xfff, 0xffff]);
});

test('parseCookie: 0x hex, unsigned decimal, negative signed decimal (OpenKilda cookie tag)', () => {
  assert.equal(parseCookie('0x4000000000000001'), 0x4000000000000001n);
  assert.equal(parseCookie('0X400000000000000a'), 0x400000000000000an);
  assert.equal(parseCookie('4611686018427387905'), 0x4000000000000001n);
  assert.equal(parseCookie('-9223372036854775806'), 0x8000000000000002n);
  assert.equal(parseCookie('-1'), 0xffffffffffffffffn);
  assert.equal(parseCookie('18446744073709551615'), 0xffffffffffffffffn);
  for (const bad of ['', '0x', 'abc', '0x1FFFFFFFFFFFFFFFF', '18446744073709551616', '-9223372036854775809', '1.5', '0x-1', '400000000000000A']) {
    assert.equal(parseCookie(bad), undefined, bad);
  }
});
