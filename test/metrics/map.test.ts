import { test } from 'node:test';
import assert from 'node:assert/strict';
import { batchToPoints } from '../../src/metrics/index.js';
import type { PollBatch, StatType } from '../../src/scheduler/types.js';

const T = 1_700_000_123_456;
function batch(statType: StatType, entries: unknown[]): PollBatch {
  return { switchId: 'SW00000000000000AB', dpid: 0xabn, statType, arrivedAt: T, entries, ports: new Map() };
}
const ALL_ONES = 0xffffffffffffffffn;

// The names of ../shared/seeds/002_544d5299114fc53f.txt and the reference page §3.
const PORT_METRICS = [
  'switch.rx-packets', 'switch.tx-packets', 'switch.rx-bytes', 'switch.tx-bytes', 'switch.rx-bits',
  'switch.tx-bits', 'switch.rx-dropped', 'switch.tx-dropped', 'switch.rx-errors', 'switch.tx-errors',
  'switch.rx-frame-error', 'switch.rx-over-error', 'switch.rx-crc-error', 'switch.collisions',
];

const port = {
  port_no: 2, rx_packets: 10n, tx_packets: 11n, rx_bytes: 1000n, tx_bytes: 0x0fff_ffff_ffff_fff0n,
  rx_dropped: 1n, tx_dropped: 2n, rx_errors: 3n, tx_errors: 4n, rx_frame_err: 5n, rx_over_err: 6n,
  rx_crc_err: 7n, collisions: 8n, duration_sec: 1, duration_nsec: 2,
};

test('port stats: every seed metric, tags switchid and port, bits = bytes * 8 without rounding', () => {
  const pts = batchToPoints(batch('PORT_STATS', [port]), { prefix: '' });
  assert.deepEqual(pts.map((p) => p.metric), PORT_METRICS);
  for (const p of pts) {
    assert.deepEqual(p.tags, { switchid: 'SW00000000000000AB', port: '2' });
    assert.equal(p.timestamp, T);
    assert.equal(typeof p.value, 'bigint');
  }
  const v = Object.fromEntries(pts.map((p) => [p.metric, p.value]));
  assert.equal(v['switch.rx-bits'], 8000n);
  assert.equal(v['switch.tx-bits'], 0x0fff_ffff_ffff_fff0n * 8n);
  assert.equal(v['switch.tx-bytes'], 0x0fff_ffff_ffff_fff0n);
  assert.equal(v['switch.rx-crc-error'], 7n);
  assert.equal(v['switch.collisions'], 8n);
});

test('bits of a byte counter past 2^61 would need more than 64 bits: left out, the bytes kept', () => {
  const pts = batchToPoints(batch('PORT_STATS', [{ ...port, tx_bytes: 0xffff_ffff_ffff_fff0n }]), { prefix: '' });
  const v = Object.fromEntries(pts.map((p) => [p.metric, p.value]));
  assert.equal(v['switch.tx-bytes'], 0xffff_ffff_ffff_fff0n);
  assert.equal(v['switch.tx-bits'], undefined);
  assert.equal(v['switch.rx-bits'], 8000n);
});

test('a counter the switch marks unsupported (all ones) is left out, and so are its bits', () => {
  const pts = batchToPoints(batch('PORT_STATS', [{ ...port, rx_bytes: ALL_ONES, collisions: ALL_ONES }]), { prefix: '' });
  const names = pts.map((p) => p.metric);
  assert.ok(!names.includes('switch.rx-bytes'));
  assert.ok(!names.includes('switch.rx-bits'));
  assert.ok(!names.includes('switch.collisions'));
  assert.equal(names.length, PORT_METRICS.length - 3);
});

test('the metric prefix is put before every name, with one dot', () => {
  for (const prefix of ['kilda', 'kilda.']) {
    const pts = batchToPoints(batch('PORT_STATS', [port]), { prefix });
    assert.equal(pts[0]!.metric, 'kilda.switch.rx-packets');
  }
});

test('table stats: active, lookup, matched, missed = lookup - matched; empty tables skipped', () => {
  const pts = batchToPoints(batch('TABLE', [
    { table_id: 0, active_count: 3, lookup_count: 100n, matched_count: 60n },
    { table_id: 1, active_count: 0, lookup_count: 5n, matched_count: 0n },
    { table_id: 2, active_count: 1, lookup_count: ALL_ONES, matched_count: 7n },
  ]), { prefix: '' });
  assert.deepEqual(pts.map((p) => [p.metric, p.tags.tableid, p.value]), [
    ['switch.table.active', '0', 3n], ['switch.table.lookup', '0', 100n],
    ['switch.table.matched', '0', 60n], ['switch.table.missed', '0', 40n],
    ['switch.table.active', '2', 1n], ['switch.table.matched', '2', 7n],
  ]);
  assert.deepEqual(pts[0]!.tags, { switchid: 'SW00000000000000AB', tableid: '0' });
});

const flow = (cookie: bigint, extra: object = {}) => ({
  table_id: 0, duration_sec: 1, duration_nsec: 0, priority: 100, idle_timeout: 0, hard_timeout: 0, flags: 0,
  cookie, packet_count: 5n, byte_count: 300n,
  match: { type: 1, oxm_fields: [{ class: 'OPENFLOW_BASIC', field: 'in_port', value: 1 }] },
  instructions: [
    { type: 'METER', meter_id: 33 },
    { type: 'APPLY_ACTIONS', actions: [{ type: 'SET_FIELD', field: {} }, { type: 'OUTPUT', port: 2, max_len: 0 }, { type: 'OUTPUT', port: 3, max_len: 0 }] },
  ],
  ...extra,
});

test('flow rule: flow.raw.packets|bytes|bits with the seed tags, flowid unknown', () => {
  const pts = batchToPoints(batch('FLOW', [flow(0x400000000000000an)]), { prefix: '' });
  assert.deepEqual(pts.map((p) => [p.metric, p.value]), [
    ['flow.raw.packets', 5n], ['flow.raw.bytes', 300n], ['flow.raw.bits', 2400n],
  ]);
  assert.deepEqual(pts[0]!.tags, {
    flowid: 'unknown', switchid: 'SW00000000000000AB', cookie: '4611686018427387914', tableid: '0',
    inPort: '1', outPort: '2', direction: 'forward', type: 'service_or_flow_segment', is_flow_satellite: 'false',
  });
});

test('inPort/outPort are 0 when the match has no in_port and the actions no output', () => {
  const pts = batchToPoints(batch('FLOW', [flow(0x2000000000000001n, {
    table_id: 3, match: { type: 1, oxm_fields: [] }, instructions: [{ type: 'GOTO_TABLE', table_id: 4 }],
  })]), { prefix: '' });
  assert.equal(pts[0]!.tags.inPort, '0');
  assert.equal(pts[0]!.tags.outPort, '0');
  assert.equal(pts[0]!.tags.tableid, '3');
  assert.equal(pts[0]!.tags.direction, 'reverse');
});

test('outPort falls back to WRITE_ACTIONS; reserved ports are kept as numbers', () => {
  const pts = batchToPoints(batch('FLOW', [flow(1n, {
    instructions: [{ type: 'WRITE_ACTIONS', actions: [{ type: 'OUTPUT', port: 0xfffffffd, max_len: 0xffff }] }],
  })]), { prefix: '' });
  assert.equal(pts[0]!.tags.outPort, '4294967293');
});

test('service rule (bit 63): switch.flow.system.* with switchid and cookieHex only', () => {
  const pts = batchToPoints(batch('FLOW', [flow(0x8000000000000002n)]), { prefix: 'kilda' });
  assert.deepEqual(pts.map((p) => [p.metric, p.value]), [
    ['kilda.switch.flow.system.packets', 5n], ['kilda.switch.flow.system.bytes', 300n], ['kilda.switch.flow.system.bits', 2400n],
  ]);
  assert.deepEqual(pts[0]!.tags, { switchid: 'SW00000000000000AB', cookieHex: '0x8000000000000002' });
});

test('unsupported flow counters are left out', () => {
  const pts = batchToPoints(batch('FLOW', [flow(1n, { byte_count: ALL_ONES })]), { prefix: '' });
  assert.deepEqual(pts.map((p) => p.metric), ['flow.raw.packets']);
});

test('stat types without metrics (descriptions, configurations) give no points', () => {
  for (const t of ['METER_CONFIG', 'GROUP_DESC', 'PORT_DESC', 'DESC'] as StatType[]) {
    assert.deepEqual(batchToPoints(batch(t, [{}]), { prefix: '' }), []);
  }
});
