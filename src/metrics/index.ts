/** A finished poll → points. Stat types without metrics (descriptions, configs) give none. */
import { EMPTY_REGISTRY } from '../registry/types.js';
import type { PollBatch, StatType } from '../scheduler/types.js';
import { mapBatch, type Mapping } from './engine.js';
import { FLOW_MAPPING } from './flow.js';
import { GROUP_MAPPING } from './group.js';
import { SeriesMemory } from './memory.js';
import { METER_MAPPING } from './meter.js';
import { PORT_MAPPING } from './port.js';
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

export function batchToPoints(batch: PollBatch, opts: MetricsOptions): Point[] {
  const out: Point[] = [];
  const mapping = MAPPINGS[batch.statType];
  if (mapping === undefined) return out;
  mapBatch(batch, mapping, {
    prefix: opts.prefix,
    registry: opts.registry ?? EMPTY_REGISTRY,
    // Without a memory, one for this batch alone: same points, no resets to see.
    memory: opts.memory ?? new SeriesMemory(),
  }, out);
  return out;
}

export type { Point, MetricsOptions } from './types.js';
export { metricName } from './types.js';
export { SeriesMemory, type SeriesMemoryOptions, type ResetLogger } from './memory.js';
