/** TABLE stats → `switch.table.*` (tags switchid, tableid); empty tables say nothing. */
import { difference, field, pointsOf, type CounterSpec } from './counters.js';
import { metricName, type MetricsOptions, type Point } from './types.js';
import type { PollBatch } from '../scheduler/types.js';

/** ofp_table_stats, as the codec decodes it. */
export interface TableStatsEntry {
  table_id: number;
  active_count: number;
  lookup_count: bigint;
  matched_count: bigint;
}

export const TABLE_COUNTERS: readonly CounterSpec<TableStatsEntry>[] = [
  ['active', field('active_count')],
  ['lookup', field('lookup_count')],
  ['matched', field('matched_count')],
  ['missed', difference('lookup_count', 'matched_count')],
];

export function tablePoints(batch: PollBatch<TableStatsEntry>, opts: MetricsOptions, out: Point[]): void {
  const name = (s: string) => metricName(opts, `switch.table.${s}`);
  for (const e of batch.entries) {
    // A switch answers for every table it has (OVS: 254); only those in use are worth a series.
    if (!(e.active_count > 0)) continue;
    const tags = { switchid: batch.switchId, tableid: String(e.table_id) };
    pointsOf(e, TABLE_COUNTERS, name, tags, batch.arrivedAt, out);
  }
}
