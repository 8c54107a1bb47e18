/** A finished poll → points. Stat types without metrics yet (meters, groups, descs) give none. */
import type { PollBatch, StatType } from '../scheduler/types.js';
import { flowPoints, type FlowStatsEntry } from './flow.js';
import { portPoints, type PortStatsEntry } from './port.js';
import { tablePoints, type TableStatsEntry } from './table.js';
import type { MetricsOptions, Point } from './types.js';

type Mapper = (batch: PollBatch, opts: MetricsOptions, out: Point[]) => void;

const MAPPERS: Partial<Record<StatType, Mapper>> = {
  FLOW: (b, o, out) => flowPoints(b as PollBatch<FlowStatsEntry>, o, out),
  PORT_STATS: (b, o, out) => portPoints(b as PollBatch<PortStatsEntry>, o, out),
  TABLE: (b, o, out) => tablePoints(b as PollBatch<TableStatsEntry>, o, out),
};

export function batchToPoints(batch: PollBatch, opts: MetricsOptions): Point[] {
  const out: Point[] = [];
  MAPPERS[batch.statType]?.(batch, opts, out);
  return out;
}

export type { Point, MetricsOptions } from './types.js';
export { metricName } from './types.js';
