/** A bad registry is refused with every problem named by entry and key path. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildRegistry, checkRegistry, parseRegistry, RegistryError } from '../../src/registry/index.js';

const S = (n: number) => `SW${n.toString(16).toUpperCase().padStart(16, '0')}`;
const flow = (id: string, path: unknown[], f: unknown = 1, r: unknown = 2, more: object = {}) =>
  ({ id, path: { forward: path }, cookies: { forward: f, reverse: r }, ...more });

function problems(doc: unknown): string[] {
  try {
    buildRegistry(checkRegistry(doc, 'reg.yaml'), 'reg.yaml');
  } catch (e) {
    assert.ok(e instanceof RegistryError, String(e));
    assert.match(e.message, /^registry reg\.yaml: /);
    return [...e.problems];
  }
  assert.fail('no error');
}

test('a bad switch id names the entry, the key path and the value', () => {
  const p = problems({ flows: [flow('f-1', [S(1)]), flow('f-2', [S(1)], 3, 4), flow('f-7', [S(1), 'xyz'], 5, 6)] });
  assert.equal(p.length, 1);
  assert.match(p[0]!, /^flows\[2\] \(id "f-7"\): path\.forward\[1\]: "xyz" is not a switch id/);
});

test('shape problems: unknown keys, missing keys, wrong types, bad cookies, meters, directions — all reported', () => {
  const p = problems({
    flows: [
      { id: 'a', path: { forward: [S(1)] }, cookie: 1 },
      { id: 'b', path: { forward: [S(1)] }, cookies: { forward: '0xZZ', reverse: '0x1FFFFFFFFFFFFFFFF' } },
      { id: 'c', path: { forward: [S(1)] }, cookies: { forward: 1, reverse: 2 }, meters: [{ switch: S(1), direction: 'up', id: 0 }] },
      { path: { forward: [] }, cookies: { forward: 1, reverse: 2 } },
    ],
    yflows: [],
  });
  const want = [
    /^flows\[0\] \(id "a"\): cookie: unknown key/,
    /^flows\[0\] \(id "a"\): cookies: missing/,
    /^flows\[1\] \(id "b"\): cookies\.forward: "0xZZ" is not a 64-bit cookie/,
    /^flows\[1\] \(id "b"\): cookies\.reverse: "0x1FFFFFFFFFFFFFFFF" is not a 64-bit cookie/,
    /^flows\[2\] \(id "c"\): meters\[0\]\.direction: "up" must be forward or reverse/,
    /^flows\[2\] \(id "c"\): meters\[0\]\.id: 0 is not a meter id/,
    /^flows\[3\]: id: missing/,
    /^flows\[3\]: path\.forward: must be a non-empty list of switch ids/,
    /^registry: yflows: unknown key/,
  ];
  for (const w of want) assert.ok(p.some((x) => w.test(x)), `${w} not in\n${p.join('\n')}`);
});

test('a path visiting a switch twice is refused', () => {
  const p = problems({ flows: [flow('f', [S(1), S(2), '0x1'])] });
  assert.match(p[0]!, /^flows\[0\] \(id "f"\): path\.forward\[2\]: SW0000000000000001 is already at path\.forward\[0\]/);
});

test('(switch, cookie) claimed twice is refused, naming both entries', () => {
  const p = problems({ flows: [flow('f-1', [S(1), S(2)], 0x4000000000000001n, 2), flow('f-2', [S(3), S(2)], '0x4000000000000001', 4)] });
  assert.deepEqual(p, ['flows[1] (id "f-2"): cookie 0x4000000000000001 on SW0000000000000002 is already claimed by flows[0] (id "f-1")']);
  // The same cookie on different switches is fine: a flow's cookie is on every switch of its path.
  assert.deepEqual(problemsOrNone({ flows: [flow('f-1', [S(1)], 7, 8), flow('f-2', [S(2)], 7, 8)] }), []);
  // One flow using one cookie both ways on one switch claims it twice too.
  assert.match(problems({ flows: [flow('f', [S(1)], 9, 9)] })[0]!, /cookie 0x0000000000000009 on SW0000000000000001 is already claimed by flows\[0\] \(id "f"\)/);
});

function problemsOrNone(doc: unknown): string[] {
  try {
    buildRegistry(checkRegistry(doc, 'x'), 'x');
    return [];
  } catch (e) {
    return [...(e as RegistryError).problems];
  }
}

test('(switch, meter) and (switch, group) claimed twice are refused', () => {
  const p = problems({
    flows: [flow('f', [S(1)], 1, 2, { meters: [{ switch: S(1), direction: 'forward', id: 32 }] })],
    ha_flows: [{
      id: 'h', shared_path: { forward: [S(1)] }, shared_cookies: { forward: 3, reverse: 4 },
      y_point_meter: { id: 32 }, y_point_group: { id: 10 },
      sub_flows: [flow('a', [S(1), S(2)], 5, 6, { meters: [{ switch: S(2), direction: 'reverse', id: 40 }] }),
        flow('b', [S(1), S(3)], 7, 8)],
    }, {
      id: 'h2', shared_path: { forward: [S(1)] }, shared_cookies: { forward: 13, reverse: 14 }, y_point_group: { id: 10 },
      sub_flows: [flow('c', [S(1), S(4)], 15, 16), flow('d', [S(1), S(5)], 17, 18)],
    }],
  });
  assert.deepEqual(p, [
    'ha_flows[0] (id "h"): meter 32 on SW0000000000000001 is already claimed by flows[0] (id "f")',
    'ha_flows[1] (id "h2"): group 10 on SW0000000000000001 is already claimed by ha_flows[0] (id "h")',
  ]);
});

test('ids are unique: a sub-flow may not reuse a flow id', () => {
  const p = problems({
    flows: [flow('f', [S(1)])],
    y_flows: [{ id: 'y', sub_flows: [flow('f', [S(1), S(2)], 3, 4), flow('g', [S(1), S(3)], 5, 6)] }],
  });
  assert.deepEqual(p, ['y_flows[0] (id "y"): sub_flows[0] (id "f"): id: "f" is already used by flows[0] (id "f")']);
});

test('meters and extra cookies must sit on their direction\'s path', () => {
  const p = problems({ flows: [flow('f', [S(1), S(2)], 1, 2, {
    meters: [{ switch: S(3), direction: 'forward', id: 32 }],
    extra_cookies: [{ switch: S(9), direction: 'reverse', cookie: 5 }],
  })] });
  assert.deepEqual(p, [
    'flows[0] (id "f"): meters[0].switch: SW0000000000000003 is not on path.forward',
    'flows[0] (id "f"): extra_cookies[0].switch: SW0000000000000009 is not on path.reverse',
  ]);
});

test('Y-flow: sub-flows must share the shared endpoint; stated switches must agree with the paths', () => {
  assert.deepEqual(problems({ y_flows: [{ id: 'y', sub_flows: [flow('a', [S(1), S(2)]), flow('b', [S(3), S(2)], 3, 4)] }] }), [
    'y_flows[0] (id "y"): sub_flows[1] (id "b"): path.forward[0]: SW0000000000000003 is not the shared endpoint SW0000000000000001 of sub_flows[0]',
    'y_flows[0] (id "y"): sub_flows[1] (id "b"): path.reverse[1]: SW0000000000000003 is not the shared endpoint SW0000000000000001',
  ]);
  assert.deepEqual(problems({ y_flows: [{
    id: 'y', y_point: S(1), shared_switch: S(1), y_point_meter: { switch: S(3), id: 41 },
    sub_flows: [flow('a', [S(1), S(2), S(3)]), flow('b', [S(1), S(2), S(4)], 3, 4)],
  }] }), [
    'y_flows[0] (id "y"): y_point: SW0000000000000001 is not the Y point (where the sub-flows\' forward paths part), SW0000000000000002',
    'y_flows[0] (id "y"): y_point_meter.switch: SW0000000000000003 must be SW0000000000000002',
  ]);
  assert.deepEqual(problems({ y_flows: [{ id: 'y', sub_flows: [flow('a', [S(1)])] }] }), ['y_flows[0] (id "y"): sub_flows: a Y-flow has at least two sub-flows']);
});

test('HA-flow: sub-flow paths start at the Y point, shared paths meet there', () => {
  const got = problems({ ha_flows: [{
    id: 'h', shared_path: { forward: [S(1), S(2)], reverse: [S(3), S(1)] }, shared_cookies: { forward: 1, reverse: 2 },
    sub_flows: [flow('a', [S(2), S(3)], 3, 4), flow('b', [S(4), S(5)], 5, 6), flow('c', [S(2), S(1)], 7, 8)],
  }] });
  for (const want of [
    'ha_flows[0] (id "h"): shared_path.reverse[0]: SW0000000000000003 must be the Y point SW0000000000000002 (the last switch of shared_path.forward)',
    'ha_flows[0] (id "h"): sub_flows[1] (id "b"): path.forward[0]: SW0000000000000004 must be the Y point SW0000000000000002: an HA sub-flow\'s path starts where the shared path ends',
    'ha_flows[0] (id "h"): sub_flows[1] (id "b"): path.reverse[1]: SW0000000000000004 must be the Y point SW0000000000000002: an HA sub-flow\'s reverse path ends where the shared path begins',
    'ha_flows[0] (id "h"): sub_flows[2] (id "c"): path.forward: SW0000000000000001 is on shared_path.forward too: a path visits a switch once',
    'ha_flows[0] (id "h"): sub_flows[2] (id "c"): path.reverse: SW0000000000000001 is on shared_path.reverse too: a path visits a switch once',
  ]) assert.ok(got.includes(want), `${want} not in\n${got.join('\n')}`);
  assert.deepEqual(problems({ ha_flows: [{
    id: 'h', shared_path: { forward: [S(1), S(2)] }, shared_cookies: { forward: 1, reverse: 2 },
    shared_meters: [{ switch: S(3), direction: 'forward', id: 50 }],
    sub_flows: [flow('a', [S(2), S(3)], 3, 4), flow('b', [S(2), S(4)], 5, 6)],
  }] }), ['ha_flows[0] (id "h"): shared_meters[0].switch: SW0000000000000003 is not on shared_path.forward']);
});

test('YAML syntax errors and duplicate keys are refused with the file named', () => {
  assert.throws(() => parseRegistry('flows: [\n', 'bad.yaml'), (e: unknown) => e instanceof RegistryError && /^registry bad\.yaml: syntax: /.test(e.message));
  assert.throws(() => parseRegistry('flows: []\nflows: []\n', 'dup.yaml'), (e: unknown) => e instanceof RegistryError && /syntax: .*unique/i.test(e.message));
});

test('JSON is read too, a 64-bit cookie written as a bare number stays exact; an empty file is an empty registry', () => {
  const text = JSON.stringify({ flows: [flow('f', [S(1)], 0, 0)] }).replace('"forward":0', '"forward":4611686018427387905').replace('"reverse":0', '"reverse":-9223372036854775806');
  const r = buildRegistry(parseRegistry(text, 'r.json'), 'r.json');
  assert.equal(r.rule(S(1), 0x4000000000000001n)?.direction, 'forward');
  assert.equal(r.rule(S(1), 0x8000000000000002n)?.direction, 'reverse');
  assert.equal(buildRegistry(parseRegistry('', 'e.yaml'), 'e.yaml').summary.rules, 0);
});
