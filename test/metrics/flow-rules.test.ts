/**
 * FLOW batches → rule metrics, against the rules of ../shared/reference/openkilda-stats.md §3
 * and the tag sets of ../shared/seeds/002_544d5299114fc53f.txt (written out from the seed's
 * "Tags:" lists, not from our output).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { batchToPoints } from '../../src/metrics/index.js';
import { ALL_ONES, batch, families, flow, T, tagsOf, TestRegistry, valuesOf } from './fixtures.js';

const A = 'SW0000000000000001';
const B = 'SW0000000000000002';
const C = 'SW0000000000000003';

const F1_FWD = 0x4000000000000001n; // flow, forward, effective id 1
const F1_REV = 0x2000000000000001n;
const signed = (c: bigint) => BigInt.asIntN(64, c).toString();

/** flow f1 over A → B → C. */
function plainRegistry(): TestRegistry {
  return new TestRegistry()
    .addRule(A, F1_FWD, { kind: 'flow', flowId: 'f1', direction: 'forward', positions: ['ingress'] })
    .addRule(B, F1_FWD, { kind: 'flow', flowId: 'f1', direction: 'forward', positions: ['transit'] })
    .addRule(C, F1_FWD, { kind: 'flow', flowId: 'f1', direction: 'forward', positions: ['egress'] })
    .addRule(A, F1_REV, { kind: 'flow', flowId: 'f1', direction: 'reverse', positions: ['egress'] });
}

/** Seed "Rule metrics" tags of flow.raw for a non-satellite rule on table 0, in_port 1, out 2. */
const rawTags = (switchid: string, cookie: bigint, flowid: string, direction: string) => ({
  flowid, direction, switchid, cookie: signed(cookie), tableid: '0', inPort: '1', outPort: '2',
  type: 'service_or_flow_segment', is_flow_satellite: 'false',
});

test('ingress switch: flow.raw and flow.ingress, each as packets/bytes/bits with bits = bytes x 8', () => {
  const pts = batchToPoints(batch('FLOW', [flow(F1_FWD)], A), { prefix: '', registry: plainRegistry() });
  assert.deepEqual([...families(pts).keys()], ['flow.raw', 'flow.ingress']);
  assert.deepEqual(tagsOf(pts, 'flow.raw'), [rawTags(A, F1_FWD, 'f1', 'forward')]);
  // Seed "Common flow ingress rule metrics": flowid, direction, is_y_flow_subflow.
  assert.deepEqual(tagsOf(pts, 'flow.ingress'), [{ flowid: 'f1', direction: 'forward', is_y_flow_subflow: 'false' }]);
  assert.deepEqual(valuesOf(pts, 'flow.ingress'), [
    ['flow.ingress.packets', 5n], ['flow.ingress.bytes', 300n], ['flow.ingress.bits', 2400n],
  ]);
  for (const p of pts) assert.equal(p.timestamp, T);
});

test('transit switch: raw metrics only', () => {
  const pts = batchToPoints(batch('FLOW', [flow(F1_FWD)], B), { prefix: '', registry: plainRegistry() });
  assert.deepEqual([...families(pts).keys()], ['flow.raw']);
  assert.deepEqual(tagsOf(pts, 'flow.raw'), [rawTags(B, F1_FWD, 'f1', 'forward')]);
});

test('egress switch: flow.raw and flow.* (egress) with the seed tags; reverse direction on the ingress switch is its egress', () => {
  const r = plainRegistry();
  const c = batchToPoints(batch('FLOW', [flow(F1_FWD)], C), { prefix: 'kilda', registry: r });
  assert.deepEqual([...families(c).keys()], ['kilda.flow.raw', 'kilda.flow']);
  assert.deepEqual(tagsOf(c, 'kilda.flow'), [{ flowid: 'f1', direction: 'forward', is_y_flow_subflow: 'false' }]);
  assert.deepEqual(valuesOf(c, 'kilda.flow').map(([m]) => m), ['kilda.flow.packets', 'kilda.flow.bytes', 'kilda.flow.bits']);
  const a = batchToPoints(batch('FLOW', [flow(F1_REV)], A), { prefix: '', registry: r });
  assert.deepEqual(tagsOf(a, 'flow'), [{ flowid: 'f1', direction: 'reverse', is_y_flow_subflow: 'false' }]);
  assert.deepEqual(tagsOf(a, 'flow.ingress'), []);
});

test('ONE_SWITCH flow: both flow.ingress and flow.* from the same rule', () => {
  const r = new TestRegistry().addRule(A, F1_FWD, { kind: 'flow', flowId: 'one', direction: 'forward', positions: ['ingress', 'egress'] });
  const pts = batchToPoints(batch('FLOW', [flow(F1_FWD)], A), { prefix: '', registry: r });
  assert.deepEqual([...families(pts).keys()].sort(), ['flow', 'flow.ingress', 'flow.raw']);
  const endpoint = { flowid: 'one', direction: 'forward', is_y_flow_subflow: 'false' };
  assert.deepEqual(tagsOf(pts, 'flow.ingress'), [endpoint]);
  assert.deepEqual(tagsOf(pts, 'flow'), [endpoint]);
});

test('registry miss: flow.raw with flowid unknown, no endpoint metric; direction from a valid flow cookie, else unknown', () => {
  const EXCLUSION = 0x40b0000000000005n; // direction bits, but no flow segment
  const pts = batchToPoints(batch('FLOW', [flow(0x2000000000000009n), flow(0n), flow(EXCLUSION)], A), { prefix: '', registry: plainRegistry() });
  assert.deepEqual([...families(pts).keys()], ['flow.raw']);
  assert.deepEqual(tagsOf(pts, 'flow.raw'), [
    rawTags(A, 0x2000000000000009n, 'unknown', 'reverse'),
    rawTags(A, 0n, 'unknown', 'unknown'),
    { ...rawTags(A, EXCLUSION, 'unknown', 'unknown'), type: 'exclusion_flow', is_flow_satellite: 'true' },
  ]);
});

test('without a registry (the default): every flow rule is unknown', () => {
  const pts = batchToPoints(batch('FLOW', [flow(F1_FWD)], A), { prefix: '' });
  assert.deepEqual(tagsOf(pts, 'flow.raw'), [rawTags(A, F1_FWD, 'unknown', 'forward')]);
  assert.equal(pts.length, 3);
});

test('satellite tags (is_mirror, is_loop, is_flowrtt_inject) only for satellites; satellites give no endpoint metric', () => {
  const MIRROR = 0x4004000000000001n;
  const LOOP = 0x4008000000000001n;
  const S42 = 0x40c0000000000001n; // type 0x00C: server42 flow RTT inject
  const VLAN_STATS = 0x4070000000400001n; // type 0x007
  const HA_S42 = 0x4001000100000001n; // HA sub-flow server42 bit: not the main rule
  const r = new TestRegistry();
  for (const c of [F1_FWD, MIRROR, LOOP, S42, VLAN_STATS, HA_S42]) {
    r.addRule(A, c, { kind: 'flow', flowId: 'f1', direction: 'forward', positions: ['ingress', 'egress'] });
  }
  const pts = batchToPoints(batch('FLOW', [MIRROR, LOOP, S42, VLAN_STATS, HA_S42, F1_FWD].map((c) => flow(c))), { prefix: '', registry: r });
  const sat = (cookie: bigint, type: string, mirror: string, loop: string, inject: string) => ({
    ...rawTags('SW00000000000000AB', cookie, 'unknown', 'forward'),
    type, is_flow_satellite: 'true', is_mirror: mirror, is_loop: loop, is_flowrtt_inject: inject,
  });
  // The registry above is keyed on switch A; this batch is another switch, so first check the tags alone.
  assert.deepEqual(tagsOf(pts, 'flow.raw').slice(0, 4), [
    sat(MIRROR, 'service_or_flow_segment', 'true', 'false', 'false'),
    sat(LOOP, 'service_or_flow_segment', 'false', 'true', 'false'),
    sat(S42, 'server_42_flow_rtt_ingress', 'false', 'false', 'true'),
    sat(VLAN_STATS, 'vlan_stats_pre_ingress', 'false', 'false', 'false'),
  ]);
  const known = batchToPoints(batch('FLOW', [MIRROR, LOOP, S42, VLAN_STATS, HA_S42, F1_FWD].map((c) => flow(c)), A), { prefix: '', registry: r });
  assert.equal(tagsOf(known, 'flow.raw').length, 6);
  for (const t of tagsOf(known, 'flow.raw')) assert.equal(t.flowid, 'f1');
  // Only the main rule feeds the flow's endpoint metrics.
  assert.deepEqual(tagsOf(known, 'flow.ingress'), [{ flowid: 'f1', direction: 'forward', is_y_flow_subflow: 'false' }]);
  assert.deepEqual(tagsOf(known, 'flow'), [{ flowid: 'f1', direction: 'forward', is_y_flow_subflow: 'false' }]);
  assert.equal(known.filter((p) => p.metric === 'flow.ingress.packets').length, 1);
  // A non-satellite keeps the three detail tags out.
  const main = tagsOf(known, 'flow.raw').find((t) => t.cookie === signed(F1_FWD))!;
  assert.deepEqual(main, rawTags(A, F1_FWD, 'f1', 'forward'));
  // An invalid flow cookie (both directions) is a satellite without the detail tags.
  const invalid = batchToPoints(batch('FLOW', [flow(0x6000000000000001n)]), { prefix: '' });
  assert.deepEqual(tagsOf(invalid, 'flow.raw'), [{
    ...rawTags('SW00000000000000AB', 0x6000000000000001n, 'unknown', 'unknown'), is_flow_satellite: 'true',
  }]);
});

test('Y-flow sub-flow: flow.raw as any flow, endpoint metrics with is_y_flow_subflow and y_flow_id, Y point fed from flow stats', () => {
  const SUB_A = 0x4002000000000010n; // Y-flow sub-flow a, forward, id 16
  const SUB_B = 0x4002000000000011n;
  const r = new TestRegistry()
    .addRule(A, SUB_A, { kind: 'yflow', flowId: 'sub-a', yFlowId: 'y1', direction: 'forward', positions: ['ingress'] })
    .addRule(B, SUB_A, { kind: 'yflow', flowId: 'sub-a', yFlowId: 'y1', direction: 'forward', positions: ['transit', 'ypoint'] })
    .addRule(B, SUB_B, { kind: 'yflow', flowId: 'sub-b', yFlowId: 'y1', direction: 'forward', positions: ['transit', 'ypoint'] })
    .addRule(C, SUB_A, { kind: 'yflow', flowId: 'sub-a', yFlowId: 'y1', direction: 'forward', positions: ['egress'] });
  // Seed "Y-flow ingress/egress/Y point rule metrics": y_flow_id, flowid, direction, is_y_flow_subflow.
  const y = (flowid: string) => ({ y_flow_id: 'y1', flowid, direction: 'forward', is_y_flow_subflow: 'true' });

  const a = batchToPoints(batch('FLOW', [flow(SUB_A)], A), { prefix: '', registry: r });
  assert.deepEqual([...families(a).keys()], ['flow.raw', 'flow.ingress']);
  assert.deepEqual(tagsOf(a, 'flow.raw'), [rawTags(A, SUB_A, 'sub-a', 'forward')]);
  assert.deepEqual(tagsOf(a, 'flow.ingress'), [y('sub-a')]);

  const b = batchToPoints(batch('FLOW', [flow(SUB_A), flow(SUB_B, { packet_count: 7n, byte_count: 700n })], B), { prefix: '', registry: r });
  assert.deepEqual([...families(b).keys()], ['flow.raw', 'yflow.ypoint']);
  assert.deepEqual(tagsOf(b, 'yflow.ypoint'), [y('sub-a'), y('sub-b')]);
  assert.deepEqual(valuesOf(b, 'yflow.ypoint'), [
    ['yflow.ypoint.packets', 5n], ['yflow.ypoint.bytes', 300n], ['yflow.ypoint.bits', 2400n],
    ['yflow.ypoint.packets', 7n], ['yflow.ypoint.bytes', 700n], ['yflow.ypoint.bits', 5600n],
  ]);

  const c = batchToPoints(batch('FLOW', [flow(SUB_A)], C), { prefix: '', registry: r });
  assert.deepEqual([...families(c).keys()], ['flow.raw', 'flow']);
  assert.deepEqual(tagsOf(c, 'flow'), [y('sub-a')]);
});

test('HA-flow: haflow.raw with ha_flow_id (flowid `shared` on the shared path), haflow.ingress / haflow.ypoint / haflow.*', () => {
  const SHARED = 0x4000000000000020n;
  const SUB1 = 0x4000000100000021n; // HA sub-flow 1
  const SUB2 = 0x4000000200000022n;
  const r = new TestRegistry()
    .addRule(A, SHARED, { kind: 'haflow', flowId: 'shared', haFlowId: 'ha1', direction: 'forward', positions: ['ingress'] })
    .addRule(B, SHARED, { kind: 'haflow', flowId: 'shared', haFlowId: 'ha1', direction: 'forward', positions: ['ypoint'] })
    .addRule(B, SUB1, { kind: 'haflow', flowId: 'ha1-a', haFlowId: 'ha1', direction: 'forward', positions: ['transit'] })
    .addRule(C, SUB2, { kind: 'haflow', flowId: 'ha1-b', haFlowId: 'ha1', direction: 'forward', positions: ['egress'] });
  // Seed "HA-flow rule metrics": ha_flow_id, flowid, direction, switchid, cookie, inPort, outPort, tableid.
  const haRaw = (switchid: string, cookie: bigint, flowid: string) => ({
    ha_flow_id: 'ha1', flowid, direction: 'forward', switchid, cookie: signed(cookie), inPort: '1', outPort: '2', tableid: '0',
  });
  const ep = (flowid: string) => ({ ha_flow_id: 'ha1', flowid, direction: 'forward' });

  const a = batchToPoints(batch('FLOW', [flow(SHARED)], A), { prefix: '', registry: r });
  assert.deepEqual([...families(a).keys()], ['haflow.raw', 'haflow.ingress']);
  assert.deepEqual(tagsOf(a, 'haflow.raw'), [haRaw(A, SHARED, 'shared')]);
  assert.deepEqual(tagsOf(a, 'haflow.ingress'), [ep('shared')]);

  const b = batchToPoints(batch('FLOW', [flow(SHARED), flow(SUB1)], B), { prefix: '', registry: r });
  assert.deepEqual([...families(b).keys()], ['haflow.raw', 'haflow.ypoint']);
  assert.deepEqual(tagsOf(b, 'haflow.raw'), [haRaw(B, SHARED, 'shared'), haRaw(B, SUB1, 'ha1-a')]);
  assert.deepEqual(tagsOf(b, 'haflow.ypoint'), [ep('shared')]);

  const c = batchToPoints(batch('FLOW', [flow(SUB2)], C), { prefix: '', registry: r });
  assert.deepEqual([...families(c).keys()], ['haflow.raw', 'haflow']);
  assert.deepEqual(tagsOf(c, 'haflow'), [ep('ha1-b')]);
  assert.deepEqual(valuesOf(c, 'haflow'), [['haflow.packets', 5n], ['haflow.bytes', 300n], ['haflow.bits', 2400n]]);
});

test('service rules: switch.flow.system.* with switchid and cookieHex, never a flow metric', () => {
  const r = new TestRegistry().addRule(A, 0x8000000000000002n, { kind: 'flow', flowId: 'nope', direction: 'forward', positions: ['ingress'] });
  const pts = batchToPoints(batch('FLOW', [flow(0x8000000000000002n), flow(0x8050000000000005n)], A), { prefix: 'kilda.', registry: r });
  assert.deepEqual([...families(pts).keys()], ['kilda.switch.flow.system']);
  assert.deepEqual(tagsOf(pts, 'kilda.switch.flow.system'), [
    { switchid: A, cookieHex: '0x8000000000000002' },
    { switchid: A, cookieHex: '0x8050000000000005' },
  ]);
});

test('a cookie present in several tables: one flow.raw series per table, the endpoint metric once', () => {
  const r = plainRegistry();
  const pts = batchToPoints(batch('FLOW', [
    flow(F1_FWD, { table_id: 0, packet_count: 1n, byte_count: 100n }),
    flow(F1_FWD, { table_id: 2, packet_count: 2n, byte_count: 200n }),
    flow(F1_FWD, { table_id: 4, packet_count: 3n, byte_count: 300n }),
  ], A), { prefix: '', registry: r });
  assert.deepEqual(tagsOf(pts, 'flow.raw').map((t) => t.tableid), ['0', '2', '4']);
  assert.deepEqual(valuesOf(pts, 'flow.raw').filter(([m]) => m === 'flow.raw.bytes').map(([, v]) => v), [100n, 200n, 300n]);
  // flow.ingress has no table tag: fed once per poll, by the first entry of the cookie.
  assert.deepEqual(valuesOf(pts, 'flow.ingress'), [['flow.ingress.packets', 1n], ['flow.ingress.bytes', 100n], ['flow.ingress.bits', 800n]]);
});

test('several entries with one raw series (same cookie, table and ports, other match) are summed, not dropped', () => {
  const pts = batchToPoints(batch('FLOW', [
    flow(7n, { packet_count: 1n, byte_count: 10n }),
    flow(8n),
    flow(7n, { packet_count: 2n, byte_count: 20n }),
    flow(7n, { packet_count: 4n, byte_count: ALL_ONES }),
  ]), { prefix: '' });
  const seven = pts.filter((p) => p.tags.cookie === '7').map((p) => [p.metric, p.value]);
  assert.deepEqual(seven, [['flow.raw.packets', 7n], ['flow.raw.bytes', 30n], ['flow.raw.bits', 240n]]);
  assert.equal(pts.length, 6);
});

test('counters marked unsupported (all ones) are left out of every family', () => {
  const r = plainRegistry();
  const pts = batchToPoints(batch('FLOW', [flow(F1_FWD, { byte_count: ALL_ONES })], A), { prefix: '', registry: r });
  assert.deepEqual(pts.map((p) => p.metric), ['flow.raw.packets', 'flow.ingress.packets']);
  const none = batchToPoints(batch('FLOW', [flow(F1_FWD, { byte_count: ALL_ONES, packet_count: ALL_ONES })], A), { prefix: '', registry: r });
  assert.deepEqual(none, []);
});

test('the lean scan form (in_port/out_port picked out) maps like the full decoding', () => {
  const lean = { table_id: 0, priority: 1, duration_sec: 1, cookie: F1_FWD, packet_count: 5n, byte_count: 300n, in_port: 1, out_port: 2, meter_id: undefined, group_id: undefined };
  const r = plainRegistry();
  assert.deepEqual(
    batchToPoints(batch('FLOW', [lean], A), { prefix: '', registry: r }),
    batchToPoints(batch('FLOW', [flow(F1_FWD)], A), { prefix: '', registry: r }),
  );
});
