/**
 * The offline pipeline's second half: batches from a capture → points, through the same
 * batchToPoints and one SeriesMemory for the whole capture, as `ofstats run` keeps one for
 * its whole run → sorted line protocol, the form of a fixture's expected.lp.
 */
import { batchToPoints, SeriesMemory, type Point } from '../metrics/index.js';
import type { FlowRegistry } from '../registry/types.js';
import type { PollBatch } from '../scheduler/types.js';
import { toLine } from '../sinks/line-protocol.js';

export interface OfflineOptions {
  prefix: string;
  registry?: FlowRegistry;
}

export interface OfflinePoints {
  points: Point[];
  /** Counter resets seen between two polls of the capture, as the live run would log them. */
  resets: string[];
}

export function pointsOfBatches(batches: readonly PollBatch[], opts: OfflineOptions): OfflinePoints {
  const resets: string[] = [];
  const memory = new SeriesMemory({ logger: { warn: (o, msg) => resets.push(`${msg} ${JSON.stringify(o, (_, v) => (typeof v === 'bigint' ? v.toString() : v))}`) } });
  const points: Point[] = [];
  for (const b of batches) {
    for (const p of batchToPoints(b, { prefix: opts.prefix, memory, ...(opts.registry ? { registry: opts.registry } : {}) })) points.push(p);
  }
  return { points, resets };
}

/**
 * Line protocol, one line per point, sorted (code unit order, so any machine sorts alike).
 * A point line protocol cannot carry (a value beyond int64) is a line starting with `#`, so
 * it still shows in a comparison instead of vanishing.
 */
export function sortedLines(points: readonly Point[]): string[] {
  return points
    .map((p) => toLine(p) ?? `# not writable: ${p.metric} ${JSON.stringify(p.tags)} ${p.value} ${p.timestamp}`)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}
