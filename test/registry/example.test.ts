/**
 * config/registry.example.yaml loads, reads back the same after formatting, and says what its
 * comments say; the e2e scenario's registry (test/peers/scenario.ts, whose owners are written
 * by hand) gives exactly the owners the scenario states for every rule, meter and group.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { buildRegistry, checkRegistry, formatRegistry, parseRegistry } from '../../src/registry/index.js';
import { describeScenario, registryObject } from '../peers/scenario.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const EXAMPLE = `${ROOT}config/registry.example.yaml`;
const S = (n: number) => `SW${n.toString(16).toUpperCase().padStart(16, '0')}`;

test('the example registry loads and says what its comments say', () => {
  const r = buildRegistry(parseRegistry(readFileSync(EXAMPLE, 'utf8'), EXAMPLE), EXAMPLE);
  assert.deepEqual(r.summary, { flows: 2, yFlows: 1, haFlows: 1, switches: 4, rules: 34, meters: 12, groups: 1 });
  const pos = (sw: number, c: bigint) => [...(r.rule(S(sw), c)?.positions ?? [])].sort();
  assert.deepEqual(pos(1, 0x4000000000000001n), ['ingress']);
  assert.deepEqual(pos(2, 0x4000000000000001n), ['transit']);
  assert.deepEqual(pos(3, 0x4000000000000001n), ['egress']);
  assert.deepEqual(pos(1, 0x4004000000000001n), ['ingress']);
  assert.deepEqual(pos(1, 0x2000000000000002n), ['egress', 'ingress']);
  assert.deepEqual(pos(2, 0x4002000000000004n), ['transit', 'ypoint']);
  assert.equal(r.rule(S(2), 0x4002000000000004n)?.yFlowId, 'yflow-1');
  assert.deepEqual(r.meter(S(1), 40), { kind: 'yflow-shared', yFlowId: 'yflow-1' });
  assert.deepEqual(r.meter(S(2), 41), { kind: 'yflow-ypoint', yFlowId: 'yflow-1' });
  assert.deepEqual(pos(2, 0x4000000000000005n), ['ypoint']);
  assert.equal(r.rule(S(2), 0x4000000000000005n)?.flowId, 'shared');
  assert.deepEqual(pos(4, 0x4000000200000005n), ['egress']);
  assert.deepEqual(r.group(S(2), 60), { kind: 'haflow-ypoint', haFlowId: 'haflow-1' });
});

test('format round trip: parse → format → parse gives the same document and the same lookups', () => {
  const doc = parseRegistry(readFileSync(EXAMPLE, 'utf8'), EXAMPLE);
  const text = formatRegistry(doc);
  const again = parseRegistry(text, 'formatted');
  assert.deepEqual(again, doc);
  assert.equal(formatRegistry(again), text);
  const a = buildRegistry(doc, 'a');
  const b = buildRegistry(again, 'b');
  assert.deepEqual(b.summary, a.summary);
  for (const sw of [1, 2, 3, 4]) {
    for (const c of [0x4000000000000001n, 0x2002000000000003n, 0x2000000100000005n, 0x40C0000000000001n]) {
      assert.deepEqual(b.rule(S(sw), c), a.rule(S(sw), c));
    }
  }
});

test('the e2e scenario\'s registry gives the owner the scenario states for every rule, meter and group', () => {
  const d = describeScenario();
  const ids = [S(0xa1), S(0xa2), S(0xa3)];
  // Through text, as the e2e test writes it (JSON with hex strings).
  const text = JSON.stringify(registryObject(d, ids));
  const r = buildRegistry(parseRegistry(text, 'scenario.json'), 'scenario.json');
  for (const rule of d.rules) {
    const got = r.rule(ids[rule.sw]!, rule.cookie);
    const label = `rule ${rule.cookie.toString(16)} on SW${rule.sw + 1}`;
    if (!rule.owner) {
      assert.equal(got, undefined, label);
      continue;
    }
    assert.ok(got, label);
    assert.deepEqual({ ...got, positions: [...got.positions].sort() }, { ...rule.owner, positions: [...rule.owner.positions].sort() }, label);
  }
  for (const m of d.meters) assert.deepEqual(r.meter(ids[m.sw]!, m.id), m.owner, `meter ${m.id} on SW${m.sw + 1}`);
  for (const g of d.groups) {
    assert.deepEqual(r.group(ids[g.sw]!, g.id), g.haFlowId ? { kind: 'haflow-ypoint', haFlowId: g.haFlowId } : undefined, `group ${g.id}`);
  }
  // And the same document survives the registry's own format.
  assert.deepEqual(parseRegistry(formatRegistry(checkRegistry(JSON.parse(text), 's')), 's'), parseRegistry(text, 's'));
});
