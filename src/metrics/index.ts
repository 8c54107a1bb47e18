/** A finished poll → points. Stat types without metrics (descriptions, configs) give none. */
import { EMPTY_REGISTRY } from '../registry/types.js';
import type { PollBatch, StatType } from '../scheduler/types.js';
import { mapRows, type Mapping } from './engine.js';
import { FLOW_MAPPING, flowRows } from './flow.js';
import { GROUP_MAPPING } from './group.js';
import { SeriesMemory } from './memory.js';
import { METER_MAPPING } from './meter.js';
import { PointBatch } from './point-batch.js';
import { PORT_MAPPING } from './port.js';
import { rowsOf } from './rows.js';
import { TABLE_MAPPING } from './table.js';
import type { MetricsOptions, Point } from './types.js';

// `any`: each mapping is typed on its own stat type's entries; the batch's type picks it.
const MAPPINGS: Partial<Record<StatType, Mapping<any, any, any, any>>> = {
  FLOW: FLOW_MAPPING,
  PORT_STATS: PORT_MAPPING,
  TABLE: TABLE_MAPPING,
  METER: METER_MAPPING,
  GROUP: GROUP_MAPPING,
};

/**
 * The poll's points as one columnar batch (what the sinks write). With a memory, the batch is
 * refilled by the next batch mapped with that memory: use it before then.
 */
export function batchToPointBatch(batch: PollBatch, opts: MetricsOptions): PointBatch {
  const mapping = MAPPINGS[batch.statType];
  if (mapping === undefined) return new PointBatch(batch.arrivedAt, 1);
  // The lean FLOW scan's columns are rows already; decoded entries are turned into rows.
  const rows = batch.flows !== undefined && batch.statType === 'FLOW' ? flowRows(batch.flows) : rowsOf(batch.entries, mapping);
  return mapRows(batch, rows, mapping, {
    prefix: opts.prefix,
    registry: opts.registry ?? EMPTY_REGISTRY,
    // Without a memory, one for this batch alone: same points, no resets to see.
    memory: opts.memory ?? new SeriesMemory(),
  });
}

/** The same points as plain objects (tests, the offline pipeline, JSON). */
export function batchToPoints(batch: PollBatch, opts: MetricsOptions): Point[] {
  return batchToPointBatch(batch, opts).points();
}

export type { Point, MetricsOptions } from './types.js';
export { metricName } from './types.js';
export { PointBatch } from './point-batch.js';
export { SeriesMemory, type SeriesMemoryOptions, type ResetLogger } from './memory.js';
