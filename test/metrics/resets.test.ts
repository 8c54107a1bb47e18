/**
 * Counter resets and the bounded per-series memory: a counter that goes backwards is logged
 * once per series and occurrence and counted; nothing is suppressed; memory is forgotten on
 * disconnect, after N polls unseen, and capped.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { batchToPoints, SeriesMemory, type Point } from '../../src/metrics/index.js';
import { batch, flow, meter, TestRegistry } from './fixtures.js';

class Log {
  lines: { obj: Record<string, unknown>; msg: string }[] = [];
  warn(obj: object, msg: string): void {
    this.lines.push({ obj: obj as Record<string, unknown>, msg });
  }
}

const A = 'SW0000000000000001';
const F = 0x4000000000000001n;
const registry = new TestRegistry().addRule(A, F, { kind: 'flow', flowId: 'f1', direction: 'forward', positions: ['ingress'] });

function poll(memory: SeriesMemory, packets: bigint, bytes: bigint, at: number, extra: Record<string, unknown> = {}): Point[] {
  return batchToPoints(batch('FLOW', [flow(F, { packet_count: packets, byte_count: bytes, ...extra })], A, at), { prefix: '', registry, memory });
}

test('a counter going backwards: every series counted and logged once, the points still written', () => {
  const log = new Log();
  const memory = new SeriesMemory({ logger: log });
  poll(memory, 100n, 1000n, 1);
  poll(memory, 150n, 1500n, 2);
  assert.equal(memory.resets, 0);
  const after = poll(memory, 3n, 30n, 3);
  // flow.raw and flow.ingress, each packets/bytes/bits: six series went backwards.
  assert.equal(memory.resets, 6);
  assert.equal(log.lines.length, 6);
  assert.deepEqual(log.lines.map((l) => l.obj.metric).sort(), [
    'flow.ingress.bits', 'flow.ingress.bytes', 'flow.ingress.packets', 'flow.raw.bits', 'flow.raw.bytes', 'flow.raw.packets',
  ]);
  const bytes = log.lines.find((l) => l.obj.metric === 'flow.raw.bytes')!;
  assert.equal(bytes.obj.previous, '1500');
  assert.equal(bytes.obj.current, '30');
  assert.equal(bytes.obj.switchId, A);
  assert.deepEqual(after.map((p) => p.value), [3n, 30n, 240n, 3n, 30n, 240n]);
  // Counting up again from the new value: no more resets, no more lines.
  poll(memory, 4n, 40n, 4);
  poll(memory, 4n, 40n, 5); // unchanged values are written all the same
  assert.equal(memory.resets, 6);
  assert.equal(log.lines.length, 6);
  assert.equal(poll(memory, 4n, 40n, 6).length, 6);
});

test('only the series that went backwards count', () => {
  const memory = new SeriesMemory();
  poll(memory, 100n, 1000n, 1);
  poll(memory, 50n, 2000n, 2);
  assert.equal(memory.resets, 2); // flow.raw.packets, flow.ingress.packets
});

test('an unsupported counter in between keeps the last known value', () => {
  const memory = new SeriesMemory();
  poll(memory, 100n, 1000n, 1);
  poll(memory, 0xffff_ffff_ffff_ffffn, 1100n, 2);
  poll(memory, 90n, 1200n, 3);
  assert.equal(memory.resets, 2);
});

test('many resets in one poll: logged one by one up to the limit, then one summary line; all counted', () => {
  const log = new Log();
  const memory = new SeriesMemory({ logger: log, logPerPoll: 3 });
  const entries = (v: bigint) => Array.from({ length: 10 }, (_, i) => flow(BigInt(1000 + i), { packet_count: v, byte_count: v }));
  batchToPoints(batch('FLOW', entries(100n)), { prefix: '', memory });
  batchToPoints(batch('FLOW', entries(1n)), { prefix: '', memory });
  assert.equal(memory.resets, 30);
  assert.equal(log.lines.length, 4);
  assert.equal(log.lines[3]!.obj.more, 27);
});

test('per series: the same cookie in another table, or on another switch, is its own series', () => {
  const memory = new SeriesMemory();
  const two = (t0: bigint, t1: bigint) => batchToPoints(batch('FLOW', [
    flow(5n, { table_id: 0, packet_count: t0, byte_count: t0 }),
    flow(5n, { table_id: 1, packet_count: t1, byte_count: t1 }),
  ]), { prefix: '', memory });
  two(10n, 1000n);
  two(20n, 1001n);
  assert.equal(memory.resets, 0);
  batchToPoints(batch('FLOW', [flow(5n, { packet_count: 1n, byte_count: 1n })], 'SW0000000000000099'), { prefix: '', memory });
  assert.equal(memory.resets, 0);
});

test('meter and port counters: resets too; a table\'s active count going down is no reset', () => {
  const memory = new SeriesMemory();
  batchToPoints(batch('METER', [meter(40, [[10n, 100n]])]), { prefix: '', memory });
  batchToPoints(batch('METER', [meter(40, [[1n, 100n]])]), { prefix: '', memory });
  assert.equal(memory.resets, 1);
  const table = (active: number, lookup: bigint) => batchToPoints(batch('TABLE', [
    { table_id: 0, active_count: active, lookup_count: lookup, matched_count: 0n },
  ]), { prefix: '', memory });
  table(10, 100n);
  table(3, 200n);
  assert.equal(memory.resets, 1);
  table(3, 5n); // lookup and missed went back
  assert.equal(memory.resets, 3);
});

test('a switch disconnecting is forgotten: its counters start over without a reset', () => {
  const memory = new SeriesMemory();
  poll(memory, 100n, 1000n, 1);
  assert.equal(memory.size, 1);
  memory.forgetSwitch(A);
  assert.equal(memory.size, 0);
  poll(memory, 1n, 10n, 2);
  assert.equal(memory.resets, 0);
});

test('an entry unseen for N polls is forgotten; within N polls it is still compared', () => {
  const memory = new SeriesMemory({ forgetAfterPolls: 2 });
  const other = (at: number) => batchToPoints(batch('FLOW', [flow(99n)], A, at), { prefix: '', registry, memory });
  poll(memory, 100n, 1000n, 1);
  other(2); // F unseen once: still remembered
  assert.equal(memory.size, 2);
  poll(memory, 1n, 10n, 3);
  assert.equal(memory.resets, 6); // a rule re-installed between two polls is a reset
  other(4);
  other(5); // F unseen twice: forgotten
  assert.equal(memory.size, 1);
  poll(memory, 0n, 0n, 6);
  assert.equal(memory.resets, 6);
});

test('the memory is capped: entries past the cap are written, not remembered; one warning', () => {
  const log = new Log();
  const memory = new SeriesMemory({ logger: log, maxEntries: 2 });
  const entries = (v: bigint) => [1n, 2n, 3n, 4n].map((c) => flow(c, { packet_count: v, byte_count: v }));
  const first = batchToPoints(batch('FLOW', entries(10n)), { prefix: '', memory });
  assert.equal(first.length, 12);
  assert.equal(memory.size, 2);
  batchToPoints(batch('FLOW', entries(1n)), { prefix: '', memory });
  assert.equal(memory.resets, 6); // only the two remembered entries' series
  assert.equal(log.lines.filter((l) => /memory full/.test(l.msg)).length, 1);
});

test('a changed registry answer gives new series (new tags), not a reset', () => {
  const memory = new SeriesMemory();
  const r1 = new TestRegistry().addRule(A, F, { kind: 'flow', flowId: 'f1', direction: 'forward', positions: ['ingress'] });
  const r2 = new TestRegistry().addRule(A, F, { kind: 'flow', flowId: 'f2', direction: 'forward', positions: ['transit'] });
  const r3 = new TestRegistry().addRule(A, F, { kind: 'flow', flowId: 'f2', direction: 'forward', positions: ['transit'] });
  const at = (r: TestRegistry, v: bigint) => batchToPoints(batch('FLOW', [flow(F, { packet_count: v, byte_count: v })], A), { prefix: '', registry: r, memory });
  at(r1, 100n);
  const moved = at(r2, 1n);
  assert.deepEqual(moved.map((p) => p.tags.flowid), ['f2', 'f2', 'f2']);
  assert.equal(memory.resets, 0);
  // Same content from a new registry object (a reload): the same series, still compared.
  at(r3, 0n);
  assert.equal(memory.resets, 3);
});

test('the registry is asked once per rule, not per poll, until it changes', () => {
  const memory = new SeriesMemory();
  const r = new TestRegistry().addRule(A, F, { kind: 'flow', flowId: 'f1', direction: 'forward', positions: ['ingress'] });
  const at = (v: bigint) => batchToPoints(batch('FLOW', [flow(F, { packet_count: v, byte_count: v })], A), { prefix: '', registry: r, memory });
  at(1n);
  at(2n);
  at(3n);
  assert.equal(r.lookups, 1);
  r.addRule(A, F, { kind: 'flow', flowId: 'f9', direction: 'forward', positions: ['transit'] });
  assert.deepEqual(at(4n).map((p) => p.tags.flowid), ['f9', 'f9', 'f9']);
  assert.equal(r.lookups, 2);
});
