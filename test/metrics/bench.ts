/**
 * How fast a 100,000-rule FLOW batch maps to points, and what the series memory costs.
 * Run: node --expose-gc dist-<you>/test/metrics/bench.js [rules]
 * Not a test (timings depend on the machine); its numbers are quoted in src/metrics/memory.ts.
 */
import { batchToPoints, SeriesMemory } from '../../src/metrics/index.js';
import { batch, flow, TestRegistry } from './fixtures.js';

const N = Number(process.argv[2] ?? 100_000);
const SW = 'SW0000000000000001';
const registry = new TestRegistry();
const entries = Array.from({ length: N }, (_, i) => {
  const cookie = (i % 2 === 0 ? 0x4000000000000000n : 0x2000000000000000n) | BigInt(i + 1);
  // Nine rules in ten known to the registry, a third of those at an endpoint.
  if (i % 10 !== 0) {
    registry.addRule(SW, cookie, {
      kind: 'flow', flowId: `flow-${i}`, direction: i % 2 === 0 ? 'forward' : 'reverse',
      positions: [i % 3 === 0 ? 'ingress' : 'transit'],
    });
  }
  return flow(cookie, { table_id: i % 4, packet_count: BigInt(i), byte_count: BigInt(i) * 64n });
});
const gc = (globalThis as { gc?: () => void }).gc;

function time(label: string, f: () => number): void {
  const t0 = process.hrtime.bigint();
  const n = f();
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  console.log(`${label}: ${ms.toFixed(1)} ms, ${n} points`);
}

const memory = new SeriesMemory();
gc?.();
const before = process.memoryUsage().heapUsed;
time('first poll (tags built)', () => batchToPoints(batch('FLOW', entries, SW), { prefix: 'kilda', registry, memory }).length);
gc?.();
const after = process.memoryUsage().heapUsed;
if (gc) console.log(`memory: ${((after - before) / N).toFixed(0)} bytes per remembered rule (${memory.size} rules)`);
for (let i = 0; i < 8; i++) {
  time(`steady poll ${i + 1} (tags reused)`, () => batchToPoints(batch('FLOW', entries, SW), { prefix: 'kilda', registry, memory }).length);
}
time('no memory (tags built every poll)', () => batchToPoints(batch('FLOW', entries, SW), { prefix: 'kilda', registry }).length);
