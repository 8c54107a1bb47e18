import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cookieHex, cookieSigned, decodeCookie } from '../../src/metrics/cookie.js';
import { cookieTags } from '../../src/metrics/flow.js';

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
  assert.deepEqual(cookieTags(decodeCookie(0x400000000000000an)), {
    direction: 'forward', type: 'service_or_flow_segment', is_flow_satellite: 'false',
  });
  // Mirror: a satellite with a valid cookie, so its detail tags are there.
  assert.deepEqual(cookieTags(decodeCookie(0x400400000000000fn)), {
    direction: 'forward', type: 'service_or_flow_segment', is_flow_satellite: 'true',
    is_mirror: 'true', is_loop: 'false', is_flowrtt_inject: 'false',
  });
  assert.equal(cookieTags(decodeCookie(0x400800000000000fn)).is_loop, 'true');
  // Type 0xC: satellite (type is not 0), valid, flow-RTT inject.
  assert.deepEqual(cookieTags(decodeCookie(0x40c000000000000an)), {
    direction: 'forward', type: 'server_42_flow_rtt_ingress', is_flow_satellite: 'true',
    is_mirror: 'false', is_loop: 'false', is_flowrtt_inject: 'true',
  });
  // Not a valid flow segment cookie: satellite, without detail tags.
  assert.deepEqual(cookieTags(decodeCookie(0x6000000000000001n)), {
    direction: 'undefined', type: 'service_or_flow_segment', is_flow_satellite: 'true',
  });
  assert.deepEqual(cookieTags(decodeCookie(0x008000000064000an)), {
    direction: 'undefined', type: 'shared_of_flow', is_flow_satellite: 'true',
  });
  // A cookie with no direction bits (plain OVS rules, cookie 0).
  assert.deepEqual(cookieTags(decodeCookie(0n)), {
    direction: 'undefined', type: 'service_or_flow_segment', is_flow_satellite: 'false',
  });
});
