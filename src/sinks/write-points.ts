/** For producers that still make Point objects (self metrics, tests, tools). */
import { PointBatch } from '../metrics/point-batch.js';
import type { Point } from '../metrics/types.js';
import type { Sink } from './types.js';

/**
 * Hands points to a sink as batches (one per timestamp, in order). Returns how many points
 * could not be carried at all (a value outside 0..2^64-1): they reach no sink.
 */
export function writePoints(sink: Sink, points: readonly Point[]): number {
  const { batches, rejected } = PointBatch.of(points);
  for (const b of batches) sink.write(b);
  return rejected;
}
