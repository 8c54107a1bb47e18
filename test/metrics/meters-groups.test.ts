/**
 * METER and GROUP batches → meter and group metrics, tag sets written from the seed's "Meter
 * metrics" and "Group metrics" sections and the reference page §3 (service meters 1..31,
 * unknown meters, only HA Y-point groups).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { batchToPoints } from '../../src/metrics/index.js';
import { ALL_ONES, batch, families, group, meter, T, tagsOf, TestRegistry, valuesOf } from './fixtures.js';

const S = 'SW00000000000000AB';
const COOKIE = 0x4000000000000021n;
const signed = (c: bigint) => BigInt.asIntN(64, c).toString();

test('known flow meter: flow.meter.* from the first band (dropped above rate), not the input counters', () => {
  const r = new TestRegistry().addMeter(S, 33, { kind: 'flow', flowId: 'f1', direction: 'forward', cookie: COOKIE });
  const pts = batchToPoints(batch('METER', [meter(33, [[10n, 1000n], [99n, 9900n]])]), { prefix: 'kilda', registry: r });
  assert.deepEqual(valuesOf(pts, 'kilda.flow.meter'), [
    ['kilda.flow.meter.packets', 10n], ['kilda.flow.meter.bytes', 1000n], ['kilda.flow.meter.bits', 8000n],
  ]);
  // Seed "Common flow ingress meter metric": switchid, meterid, is_y_flow_subflow, flowid, direction, cookie.
  assert.deepEqual(tagsOf(pts, 'kilda.flow.meter'), [{
    switchid: S, meterid: '33', is_y_flow_subflow: 'false', flowid: 'f1', direction: 'forward', cookie: signed(COOKIE),
  }]);
  for (const p of pts) assert.equal(p.timestamp, T);
});

test('known flow meter without a direction: taken from its cookie', () => {
  const r = new TestRegistry().addMeter(S, 40, { kind: 'flow', flowId: 'f2', cookie: 0x2000000000000002n });
  const pts = batchToPoints(batch('METER', [meter(40, [[1n, 2n]])]), { prefix: '', registry: r });
  assert.equal(tagsOf(pts, 'flow.meter')[0]!.direction, 'reverse');
});

test('Y-flow meters: sub-flow meter with is_y_flow_subflow and y_flow_id; shared and Y-point meters', () => {
  const r = new TestRegistry()
    .addMeter(S, 34, { kind: 'flow', flowId: 'sub-a', yFlowId: 'y1', direction: 'forward', cookie: 0x4002000000000010n })
    .addMeter(S, 35, { kind: 'yflow-shared', yFlowId: 'y1' })
    .addMeter(S, 36, { kind: 'yflow-ypoint', yFlowId: 'y1' });
  const pts = batchToPoints(batch('METER', [meter(34, [[1n, 64n]]), meter(35, [[2n, 128n]]), meter(36, [[3n, 192n]])]), { prefix: '', registry: r });
  assert.deepEqual([...families(pts).keys()], ['flow.meter', 'yflow.meter.shared', 'yflow.meter.ypoint']);
  // Seed "Y-flow ingress meter metric".
  assert.deepEqual(tagsOf(pts, 'flow.meter'), [{
    switchid: S, meterid: '34', is_y_flow_subflow: 'true', flowid: 'sub-a', y_flow_id: 'y1', direction: 'forward',
    cookie: signed(0x4002000000000010n),
  }]);
  // Seed "Y-flow shared point meter metric" / "Y-flow Y point meter metric": switchid, meterid, y_flow_id.
  assert.deepEqual(tagsOf(pts, 'yflow.meter.shared'), [{ switchid: S, meterid: '35', y_flow_id: 'y1' }]);
  assert.deepEqual(tagsOf(pts, 'yflow.meter.ypoint'), [{ switchid: S, meterid: '36', y_flow_id: 'y1' }]);
  assert.deepEqual(valuesOf(pts, 'yflow.meter.ypoint'), [
    ['yflow.meter.ypoint.packets', 3n], ['yflow.meter.ypoint.bytes', 192n], ['yflow.meter.ypoint.bits', 1536n],
  ]);
});

test('HA-flow meters: haflow.meter (flowid shared on the shared path) and haflow.meter.ypoint', () => {
  const r = new TestRegistry()
    .addMeter(S, 50, { kind: 'haflow', haFlowId: 'ha1', flowId: 'shared', direction: 'forward', cookie: 0x4000000000000020n })
    .addMeter(S, 51, { kind: 'haflow-ypoint', haFlowId: 'ha1' });
  const pts = batchToPoints(batch('METER', [meter(50, [[1n, 10n]]), meter(51, [[2n, 20n]])]), { prefix: '', registry: r });
  // Seed "HA-flow ingress meter metrics": switchid, meterid, ha_flow_id, flowid, direction, cookie.
  assert.deepEqual(tagsOf(pts, 'haflow.meter'), [{
    switchid: S, meterid: '50', ha_flow_id: 'ha1', flowid: 'shared', direction: 'forward', cookie: signed(0x4000000000000020n),
  }]);
  // Seed "HA-flow Y point meter metric": switchid, meterid, ha_flow_id.
  assert.deepEqual(tagsOf(pts, 'haflow.meter.ypoint'), [{ switchid: S, meterid: '51', ha_flow_id: 'ha1' }]);
  assert.deepEqual([...families(pts).keys()], ['haflow.meter', 'haflow.meter.ypoint']);
});

test('service meters 1..31 unknown to the registry: switch.flow.system.meter.* with the service cookie as cookieHex', () => {
  const pts = batchToPoints(batch('METER', [1, 2, 31].map((id) => meter(id, [[4n, 256n]]))), { prefix: '' });
  assert.deepEqual([...families(pts).keys()], ['switch.flow.system.meter']);
  assert.deepEqual(tagsOf(pts, 'switch.flow.system.meter'), [
    { switchid: S, meterid: '1', cookieHex: '0x8000000000000001' },
    { switchid: S, meterid: '2', cookieHex: '0x8000000000000002' },
    { switchid: S, meterid: '31', cookieHex: '0x800000000000001F' },
  ]);
  assert.deepEqual(valuesOf(pts, 'switch.flow.system.meter').slice(0, 3), [
    ['switch.flow.system.meter.packets', 4n], ['switch.flow.system.meter.bytes', 256n], ['switch.flow.system.meter.bits', 2048n],
  ]);
});

test('a meter id of 1..31 the registry knows is the registry\'s', () => {
  const r = new TestRegistry().addMeter(S, 5, { kind: 'flow', flowId: 'low', direction: 'reverse', cookie: 0x2000000000000005n });
  const pts = batchToPoints(batch('METER', [meter(5, [[1n, 1n]])]), { prefix: '', registry: r });
  assert.deepEqual([...families(pts).keys()], ['flow.meter']);
});

test('other unknown meters: flow.meter.* with flowid, direction and cookie `unknown`', () => {
  const pts = batchToPoints(batch('METER', [meter(32, [[6n, 600n]]), meter(4242, [[7n, 700n]])]), { prefix: '' });
  assert.deepEqual([...families(pts).keys()], ['flow.meter']);
  assert.deepEqual(tagsOf(pts, 'flow.meter'), [
    { switchid: S, meterid: '32', flowid: 'unknown', direction: 'unknown', cookie: 'unknown' },
    { switchid: S, meterid: '4242', flowid: 'unknown', direction: 'unknown', cookie: 'unknown' },
  ]);
});

test('a meter with no band says nothing; an unsupported band counter is left out', () => {
  const pts = batchToPoints(batch('METER', [meter(40, []), meter(41, [[ALL_ONES, 640n]])]), { prefix: '' });
  assert.deepEqual(pts.map((p) => [p.metric, p.tags.meterid, p.value]), [
    ['flow.meter.bytes', '41', 640n], ['flow.meter.bits', '41', 5120n],
  ]);
});

test('groups: only an HA-flow\'s Y-point group gives haflow.group.ypoint.*, from bucket 0', () => {
  const r = new TestRegistry().addGroup(S, 10, { kind: 'haflow-ypoint', haFlowId: 'ha1' });
  const pts = batchToPoints(batch('GROUP', [group(10, [[3n, 300n], [9n, 900n]]), group(11, [[1n, 1n]]), group(1, [[1n, 1n]])]), { prefix: 'kilda', registry: r });
  assert.deepEqual([...families(pts).keys()], ['kilda.haflow.group.ypoint']);
  // Seed "Group metrics": switchid, groupid, ha_flow_id.
  assert.deepEqual(tagsOf(pts, 'kilda.haflow.group.ypoint'), [{ switchid: S, groupid: '10', ha_flow_id: 'ha1' }]);
  assert.deepEqual(valuesOf(pts, 'kilda.haflow.group.ypoint'), [
    ['kilda.haflow.group.ypoint.packets', 3n], ['kilda.haflow.group.ypoint.bytes', 300n], ['kilda.haflow.group.ypoint.bits', 2400n],
  ]);
});

test('unknown groups give nothing', () => {
  assert.deepEqual(batchToPoints(batch('GROUP', [group(10, [[3n, 300n]]), group(1, [[1n, 1n]])]), { prefix: '' }), []);
});
