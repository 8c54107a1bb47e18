/**
 * How fast a 100,000-rule FLOW poll maps to points, and what the series memory costs.
 * Run: node --expose-gc dist-<you>/test/metrics/bench.js [rules]
 * Not a test (timings depend on the machine); its numbers are quoted in docs/profile.md.
 * The rows come as the lean scan gives them (FlowStatsColumns), so this is the poller's path.
 */
import { FlowStatsColumns } from '../../protocol/fast/flow-stats-columns.js';
import { mapRows } from '../../src/metrics/engine.js';
import { FLOW_MAPPING, flowRows } from '../../src/metrics/flow.js';
import { SeriesMemory } from '../../src/metrics/index.js';
import { TestRegistry } from './fixtures.js';

const N = Number(process.argv[2] ?? 100_000);
const SW = 'SW0000000000000001';
const registry = new TestRegistry();
const cols = new FlowStatsColumns(N);
cols.reserve(N);
for (let i = 0; i < N; i++) {
  const cookie = (i % 2 === 0 ? 0x4000000000000000n : 0x2000000000000000n) | BigInt(i + 1);
  // Nine rules in ten known to the registry, a third of those at an endpoint.
  if (i % 10 !== 0) {
    registry.addRule(SW, cookie, {
      kind: 'flow', flowId: `flow-${i}`, direction: i % 2 === 0 ? 'forward' : 'reverse',
      positions: [i % 3 === 0 ? 'ingress' : 'transit'],
    });
  }
  cols.cookieHi[i] = Number(cookie >> 32n);
  cols.cookieLo[i] = Number(cookie & 0xffff_ffffn);
  cols.tableId[i] = i % 4;
  cols.inPort[i] = 1;
  cols.outPort[i] = 2;
  cols.packetsLo[i] = i;
  cols.bytesLo[i] = i * 64;
}
cols.length = N;
const rows = flowRows(cols);
const gc = (globalThis as { gc?: () => void }).gc;
const opts = (memory: SeriesMemory) => ({ prefix: 'kilda', registry, memory });
const batch = { switchId: SW, statType: 'FLOW' as const, arrivedAt: 1_700_000_000_000 };

function time(label: string, f: () => number): void {
  const t0 = process.hrtime.bigint();
  const n = f();
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  console.log(`${label}: ${ms.toFixed(1)} ms, ${n} points, ${((ms * 1e6) / N).toFixed(0)} ns per rule`);
}

const memory = new SeriesMemory();
gc?.();
const before = process.memoryUsage().heapUsed;
time('first poll (tags built)', () => mapRows(batch, rows, FLOW_MAPPING, opts(memory)).length);
gc?.();
const after = process.memoryUsage().heapUsed;
if (gc) console.log(`memory: ${((after - before) / N).toFixed(0)} bytes of heap per remembered rule (${memory.size} rules)`);
for (let i = 0; i < Number(process.env.POLLS ?? 8); i++) {
  time(`steady poll ${i + 1}`, () => mapRows(batch, rows, FLOW_MAPPING, opts(memory)).length);
}
