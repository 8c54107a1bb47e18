/**
 * The series memory against a plain model (Maps keyed by text, bigint arithmetic), over random
 * sequences of polls: rules appearing, vanishing, coming back, sharing cookies across tables
 * and ports, several entries summed into one series, 64-bit values, counters going back,
 * several switches, a small cap. Points, reset counts and the remembered size must agree poll
 * by poll. The model is the rules of engine.ts restated in the dumbest form, not its output.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { batchToPoints, SeriesMemory } from '../../src/metrics/index.js';
import { cookieSigned } from '../../src/metrics/cookie.js';
import { TupleIndex } from '../../src/metrics/tuple-index.js';
import { batch, flow } from './fixtures.js';

const U64 = (1n << 64n) - 1n;

interface Entry { sw: string; cookie: bigint; table: number; inPort: number; packets: bigint; bytes: bigint }

type V = bigint | undefined;
// A sum past 2^64 - 2 is no counter (all ones is OpenFlow's "not kept"): absent.
const add = (a: V, b: bigint): V => (a === undefined || a + b >= U64 ? undefined : a + b);

class Model {
  last = new Map<string, { packets: V; bytes: V }>();
  lastSeen = new Map<string, number>();
  polls = new Map<string, number>();
  resets = 0;
  constructor(readonly forgetAfter: number, readonly cap: number) {}

  poll(sw: string, entries: Entry[]): string[] {
    const gen = (this.polls.get(sw) ?? 0) + 1;
    this.polls.set(sw, gen);
    const sums = new Map<string, { e: Entry; packets: V; bytes: V }>();
    for (const e of entries) {
      const k = `${sw}|${e.cookie}|${e.table}|${e.inPort}`;
      const s = sums.get(k);
      if (s === undefined) sums.set(k, { e, packets: e.packets, bytes: e.bytes });
      else {
        s.packets = add(s.packets, e.packets);
        s.bytes = add(s.bytes, e.bytes);
      }
    }
    const lines: string[] = [];
    for (const [k, { e, packets, bytes }] of sums) {
      const remembered = this.lastSeen.has(k) || this.lastSeen.size < this.cap;
      const prev = this.last.get(k);
      const bits = bytes !== undefined && bytes * 8n < U64 ? bytes * 8n : undefined;
      if (prev !== undefined) {
        if (packets !== undefined && prev.packets !== undefined && packets < prev.packets) this.resets++;
        if (bytes !== undefined && prev.bytes !== undefined && bytes < prev.bytes) this.resets += bits === undefined ? 1 : 2;
      }
      if (remembered) {
        this.last.set(k, { packets: packets ?? prev?.packets, bytes: bytes ?? prev?.bytes });
        this.lastSeen.set(k, gen);
      }
      if (e.cookie >> 63n === 1n) continue; // a service rule: switch.flow.system.*, not flow.raw
      const tags = `${cookieSigned(e.cookie)}/${e.table}/${e.inPort}/${sw}`;
      if (packets !== undefined) lines.push(`flow.raw.packets ${tags} ${packets}`);
      if (bytes !== undefined) lines.push(`flow.raw.bytes ${tags} ${bytes}`);
      if (bits !== undefined) lines.push(`flow.raw.bits ${tags} ${bits}`);
    }
    for (const [k, seen] of this.lastSeen) {
      if (k.startsWith(`${sw}|`) && seen <= gen - this.forgetAfter) {
        this.lastSeen.delete(k);
        this.last.delete(k);
      }
    }
    return lines.sort();
  }
}

const counter = fc.oneof(fc.bigInt({ min: 0n, max: 1000n }), fc.bigInt({ min: 0n, max: U64 - 1n }));
const entryArb = fc.record({
  sw: fc.constantFrom('SW0000000000000001', 'SW0000000000000002'),
  // Few distinct cookies, some with the high bits set, so keys repeat across tables and ports.
  cookie: fc.constantFrom(1n, 2n, 0x4000_0000_0000_0001n, 0x2000_0000_0000_0002n, 0xffff_0000_0000_0001n, 0x8000_0000_0000_0003n),
  table: fc.integer({ min: 0, max: 3 }),
  inPort: fc.constantFrom(1, 2, 0xffff_fff0),
  packets: counter,
  bytes: counter,
});

test('series memory = a plain model over random poll sequences (points, resets, size)', () => {
  fc.assert(fc.property(
    fc.array(fc.array(entryArb, { maxLength: 12 }), { minLength: 1, maxLength: 12 }),
    fc.integer({ min: 1, max: 3 }),
    fc.integer({ min: 1, max: 40 }),
    (polls, forgetAfter, cap) => {
      const memory = new SeriesMemory({ forgetAfterPolls: forgetAfter, maxEntries: cap });
      const model = new Model(forgetAfter, cap);
      polls.forEach((entries, n) => {
        // Each poll reports one switch (alternating), as a switch's reply does.
        const sw = n % 2 === 0 ? 'SW0000000000000001' : 'SW0000000000000002';
        const mine = entries.filter((e) => e.sw === sw);
        const pts = batchToPoints(batch('FLOW', mine.map((e) => flow(e.cookie, {
          table_id: e.table, packet_count: e.packets, byte_count: e.bytes,
          match: { type: 1, oxm_fields: [{ class: 'OPENFLOW_BASIC', field: 'in_port', value: e.inPort }] },
        })), sw), { prefix: '', memory });
        const got = pts.filter((p) => p.metric.startsWith('flow.raw'))
          .map((p) => `${p.metric} ${p.tags.cookie}/${p.tags.tableid}/${p.tags.inPort}/${p.tags.switchid} ${p.value}`).sort();
        const expected = model.poll(sw, mine);
        assert.deepEqual(got, expected);
        assert.equal(memory.resets, model.resets);
        assert.equal(memory.size, model.lastSeen.size);
      });
    },
  ), { numRuns: 300 });
});

test('tuple index = a Map over random inserts, finds and compactions', () => {
  fc.assert(fc.property(
    fc.array(fc.tuple(fc.nat(50), fc.nat(3), fc.boolean()), { maxLength: 400 }),
    (ops) => {
      const idx = new TupleIndex(1);
      let model: string[] = [];
      for (const [a, b, drop] of ops) {
        const t = [a, b >>> 0, a * 7 + 0xffff_0000, b] as const;
        const key = t.join(',');
        const found = idx.find(...t);
        assert.equal(found, model.indexOf(key));
        if (found < 0) assert.equal(idx.insert(...t), model.push(key) - 1);
        if (drop && a % 5 === 0) {
          const map = idx.compact((id) => id % 3 !== 0);
          const kept = model.filter((_, id) => id % 3 !== 0);
          model.forEach((_, id) => assert.equal(map[id], id % 3 !== 0 ? kept.indexOf(model[id]!) : -1));
          model = kept;
        }
        assert.equal(idx.size, model.length);
      }
      model.forEach((k, id) => assert.equal(idx.find(...(k.split(',').map(Number) as [number, number, number, number])), id));
    },
  ), { numRuns: 200 });
});

test('tuple index: remapping a field keeps ids and finds tuples by their new value only', () => {
  const idx = new TupleIndex(1);
  for (let a = 0; a < 40; a++) idx.insert(a, 7, 0xffff_ffff, a * 3);
  const map = Int32Array.from({ length: 40 }, (_, a) => 39 - a);
  idx.remapField(0, map);
  for (let a = 0; a < 40; a++) {
    assert.equal(idx.find(39 - a, 7, 0xffff_ffff, a * 3), a);
    if (a !== 39 - a) assert.equal(idx.find(a, 7, 0xffff_ffff, a * 3), -1);
  }
});
