/**
 * The derivation rules of ../shared/reference/openkilda-stats.md §3: first switch INGRESS,
 * last EGRESS, the others TRANSIT, source == destination ONE_SWITCH (both), the Y point
 * where sub-flows part, an HA-flow's shared path. Expected positions are written by hand.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildRegistry, checkRegistry, type MapRegistry } from '../../src/registry/index.js';
import type { PathPosition, RuleInfo } from '../../src/registry/types.js';

const S = (n: number) => `SW${n.toString(16).toUpperCase().padStart(16, '0')}`;
const load = (doc: unknown): MapRegistry => buildRegistry(checkRegistry(doc, 'test'), 'test');

function positions(r: MapRegistry, sw: number, cookie: bigint): PathPosition[] | undefined {
  const info = r.rule(S(sw), cookie);
  return info && [...info.positions].sort();
}

test('plain flow: first switch ingress, last egress, the others transit, per direction', () => {
  const r = load({ flows: [{
    id: 'f', path: { forward: [S(1), S(2), S(3), S(4)] },
    cookies: { forward: '0x4000000000000001', reverse: '0x2000000000000001' },
  }] });
  const F = 0x4000000000000001n, R = 0x2000000000000001n;
  assert.deepEqual(positions(r, 1, F), ['ingress']);
  assert.deepEqual(positions(r, 2, F), ['transit']);
  assert.deepEqual(positions(r, 3, F), ['transit']);
  assert.deepEqual(positions(r, 4, F), ['egress']);
  // The reverse path defaults to the forward path reversed: SW4 is now the ingress.
  assert.deepEqual(positions(r, 4, R), ['ingress']);
  assert.deepEqual(positions(r, 1, R), ['egress']);
  const info = r.rule(S(2), R) as RuleInfo;
  assert.deepEqual({ ...info, positions: undefined }, { kind: 'flow', flowId: 'f', direction: 'reverse', positions: undefined });
  // A cookie on a switch off the path, and an unknown cookie, are misses (the metric says `unknown`).
  assert.equal(r.rule(S(5), F), undefined);
  assert.equal(r.rule(S(1), 0x4000000000000099n), undefined);
});

test('an asymmetric reverse path gets its own positions', () => {
  const r = load({ flows: [{
    id: 'f', path: { forward: [S(1), S(2), S(3)], reverse: [S(3), S(4), S(1)] },
    cookies: { forward: 1, reverse: 2 },
  }] });
  assert.deepEqual(positions(r, 4, 2n), ['transit']);
  assert.equal(r.rule(S(2), 2n), undefined);
  assert.equal(r.rule(S(4), 1n), undefined);
});

test('one-switch flow: ingress and egress at once, both directions', () => {
  const r = load({ flows: [{ id: 'f', path: { forward: [S(7)] }, cookies: { forward: 0x4000000000000002n, reverse: 0x2000000000000002n } }] });
  assert.deepEqual(positions(r, 7, 0x4000000000000002n), ['egress', 'ingress']);
  assert.deepEqual(positions(r, 7, 0x2000000000000002n), ['egress', 'ingress']);
});

test('extra cookies share the position of the flow on that switch; meters carry the direction\'s cookie', () => {
  const r = load({ flows: [{
    id: 'f', path: { forward: [S(1), S(2)] }, cookies: { forward: 0x4000000000000001n, reverse: 0x2000000000000001n },
    extra_cookies: [{ switch: S(1), direction: 'forward', cookie: '0x4004000000000001' }, { switch: S(1), direction: 'reverse', cookie: '-1' }],
    meters: [{ switch: S(1), direction: 'forward', id: 32 }, { switch: S(2), direction: 'reverse', id: 32 }],
  }] });
  assert.deepEqual(positions(r, 1, 0x4004000000000001n), ['ingress']);
  assert.equal(r.rule(S(1), 0xffffffffffffffffn)?.direction, 'reverse');
  assert.deepEqual(positions(r, 1, 0xffffffffffffffffn), ['egress']);
  assert.deepEqual(r.meter(S(1), 32), { kind: 'flow', flowId: 'f', direction: 'forward', cookie: 0x4000000000000001n });
  assert.deepEqual(r.meter(S(2), 32), { kind: 'flow', flowId: 'f', direction: 'reverse', cookie: 0x2000000000000001n });
  assert.equal(r.meter(S(2), 33), undefined);
});

test('Y-flow: the Y point is where the forward paths part; it is a ypoint in both directions', () => {
  const r = load({ y_flows: [{
    id: 'y', shared_meter: { id: 40 }, y_point_meter: { id: 41 },
    sub_flows: [
      { id: 'a', path: { forward: [S(1), S(2), S(3), S(4)] }, cookies: { forward: 0xa1n, reverse: 0xa2n } },
      { id: 'b', path: { forward: [S(1), S(2), S(3)] }, cookies: { forward: 0xb1n, reverse: 0xb2n },
        meters: [{ switch: S(3), direction: 'reverse', id: 43 }] },
    ],
  }] });
  // Common prefix SW1 SW2 SW3: b ends at SW3, so SW3 is the Y point (egress of b, transit of a).
  assert.deepEqual(positions(r, 1, 0xa1n), ['ingress']);
  assert.deepEqual(positions(r, 2, 0xa1n), ['transit']);
  assert.deepEqual(positions(r, 3, 0xa1n), ['transit', 'ypoint']);
  assert.deepEqual(positions(r, 3, 0xb1n), ['egress', 'ypoint']);
  assert.deepEqual(positions(r, 3, 0xa2n), ['transit', 'ypoint']);
  assert.deepEqual(positions(r, 3, 0xb2n), ['ingress', 'ypoint']);
  assert.deepEqual(positions(r, 4, 0xa1n), ['egress']);
  assert.deepEqual(positions(r, 1, 0xb2n), ['egress']);
  assert.deepEqual({ ...r.rule(S(2), 0xb1n), positions: undefined }, { kind: 'yflow', flowId: 'b', yFlowId: 'y', direction: 'forward', positions: undefined });
  assert.deepEqual(r.meter(S(1), 40), { kind: 'yflow-shared', yFlowId: 'y' });
  assert.deepEqual(r.meter(S(3), 41), { kind: 'yflow-ypoint', yFlowId: 'y' });
  assert.deepEqual(r.meter(S(3), 43), { kind: 'flow', flowId: 'b', yFlowId: 'y', direction: 'reverse', cookie: 0xb2n });
});

test('Y-flow parting at the shared endpoint: the shared endpoint is the Y point', () => {
  const r = load({ y_flows: [{
    id: 'y', y_point_meter: { id: 41 },
    sub_flows: [
      { id: 'a', path: { forward: [S(1), S(2)] }, cookies: { forward: 1, reverse: 2 } },
      { id: 'b', path: { forward: [S(1), S(3)] }, cookies: { forward: 3, reverse: 4 } },
    ],
  }] });
  assert.deepEqual(positions(r, 1, 1n), ['ingress', 'ypoint']);
  assert.deepEqual(positions(r, 1, 4n), ['egress', 'ypoint']);
  assert.deepEqual(r.meter(S(1), 41), { kind: 'yflow-ypoint', yFlowId: 'y' });
});

test('HA-flow: shared path rules are `shared`, ingress at the shared endpoint, ypoint (only) at the Y point', () => {
  const r = load({ ha_flows: [{
    id: 'h',
    shared_path: { forward: [S(1), S(2), S(3)] },
    shared_cookies: { forward: 0x51n, reverse: 0x52n },
    shared_meters: [{ switch: S(1), direction: 'forward', id: 50 }],
    y_point_meter: { id: 51 }, y_point_group: { id: 60 },
    sub_flows: [
      { id: 'a', path: { forward: [S(3), S(4), S(5)] }, cookies: { forward: 0xa1n, reverse: 0xa2n } },
      { id: 'b', path: { forward: [S(3)] }, cookies: { forward: 0xb1n, reverse: 0xb2n },
        meters: [{ switch: S(3), direction: 'reverse', id: 53 }] },
    ],
  }] });
  // Forward shared: SW1 ingress, SW2 transit, SW3 the Y point.
  assert.deepEqual(positions(r, 1, 0x51n), ['ingress']);
  assert.deepEqual(positions(r, 2, 0x51n), ['transit']);
  assert.deepEqual(positions(r, 3, 0x51n), ['ypoint']);
  // Reverse shared: from the Y point back to the shared endpoint, the egress.
  assert.deepEqual(positions(r, 3, 0x52n), ['ypoint']);
  assert.deepEqual(positions(r, 2, 0x52n), ['transit']);
  assert.deepEqual(positions(r, 1, 0x52n), ['egress']);
  assert.deepEqual({ ...r.rule(S(2), 0x51n), positions: undefined }, { kind: 'haflow', flowId: 'shared', haFlowId: 'h', direction: 'forward', positions: undefined });
  // Sub-flow rules exist only on the sub-flow's own part; positions read off the whole path.
  assert.equal(r.rule(S(1), 0xa1n), undefined);
  assert.equal(r.rule(S(2), 0xa2n), undefined);
  assert.deepEqual(positions(r, 3, 0xa1n), ['transit', 'ypoint']);
  assert.deepEqual(positions(r, 4, 0xa1n), ['transit']);
  assert.deepEqual(positions(r, 5, 0xa1n), ['egress']);
  assert.deepEqual(positions(r, 5, 0xa2n), ['ingress']);
  assert.deepEqual(positions(r, 3, 0xa2n), ['transit', 'ypoint']);
  // Sub-flow b ends at the Y point.
  assert.deepEqual(positions(r, 3, 0xb1n), ['egress', 'ypoint']);
  assert.deepEqual(positions(r, 3, 0xb2n), ['ingress', 'ypoint']);
  assert.equal(r.rule(S(3), 0xb2n)?.flowId, 'b');
  assert.deepEqual(r.meter(S(1), 50), { kind: 'haflow', flowId: 'shared', haFlowId: 'h', direction: 'forward', cookie: 0x51n });
  assert.deepEqual(r.meter(S(3), 51), { kind: 'haflow-ypoint', haFlowId: 'h' });
  assert.deepEqual(r.meter(S(3), 53), { kind: 'haflow', flowId: 'b', haFlowId: 'h', direction: 'reverse', cookie: 0xb2n });
  assert.deepEqual(r.group(S(3), 60), { kind: 'haflow-ypoint', haFlowId: 'h' });
  assert.equal(r.group(S(1), 60), undefined);
});

test('HA-flow whose Y point is the shared endpoint: shared rules are ingress and ypoint', () => {
  const r = load({ ha_flows: [{
    id: 'h', shared_path: { forward: [S(1)] }, shared_cookies: { forward: 1, reverse: 2 },
    sub_flows: [
      { id: 'a', path: { forward: [S(1), S(2)] }, cookies: { forward: 3, reverse: 4 } },
      { id: 'b', path: { forward: [S(1), S(3)] }, cookies: { forward: 5, reverse: 6 } },
    ],
  }] });
  assert.deepEqual(positions(r, 1, 1n), ['ingress', 'ypoint']);
  assert.deepEqual(positions(r, 1, 2n), ['egress', 'ypoint']);
  assert.deepEqual(positions(r, 1, 3n), ['ingress', 'ypoint']);
  assert.deepEqual(positions(r, 2, 3n), ['egress']);
});

test('switch ids in every usual spelling are one switch; lookups normalise a non-canonical id', () => {
  const r = load({ flows: [{
    id: 'f', path: { forward: ['00:00:00:00:00:00:00:0a', '0xB', 12n, '13', 'sw000000000000000e'] },
    cookies: { forward: 1, reverse: 2 },
  }] });
  for (const n of [10, 11, 12, 13, 14]) assert.ok(r.rule(S(n), 1n), `switch ${n}`);
  assert.ok(r.rule('00:00:00:00:00:00:00:0a', 1n));
  assert.ok(r.rule('0xa', 1n));
  assert.equal(r.rule('not-a-switch', 1n), undefined);
  // Signed cookies (OpenKilda's tag) find the same rule.
  assert.ok(r.rule(S(10), 1n));
});

test('answers are the same objects until the registry changes (the metrics cache tags on identity)', () => {
  const r = load({ flows: [{ id: 'f', path: { forward: [S(1)] }, cookies: { forward: 1, reverse: 2 } }] });
  assert.equal(r.rule(S(1), 1n), r.rule(S(1), 1n));
});
