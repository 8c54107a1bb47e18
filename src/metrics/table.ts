/** TABLE stats → `switch.table.*` (tags switchid, tableid); empty tables say nothing. */
import { difference, field, type Counters } from './counters.js';
import type { Family, Mapping } from './engine.js';
import type { TableStats } from '../../protocol/messages/multipart/table/reply.js';

/** The parts of ofp_table_stats (the codec's TableStats) the metrics read. */
export type TableStatsEntry = Pick<TableStats, 'table_id' | 'active_count' | 'lookup_count' | 'matched_count'>;

export const TABLE_COUNTERS: Counters<TableStatsEntry> = {
  sources: [field('active_count'), field('lookup_count'), field('matched_count'), difference('lookup_count', 'matched_count')],
  specs: [['active', 0, 'gauge'], ['lookup', 1], ['matched', 2], ['missed', 3]],
};

interface TableCtx { switchId: string; table: number }

const TABLE_FAMILIES: readonly Family<TableCtx>[] = [
  { base: 'switch.table', when: () => true, tags: (x) => ({ switchid: x.switchId, tableid: String(x.table) }) },
];

export const TABLE_MAPPING: Mapping<TableStatsEntry, undefined, undefined, TableCtx> = {
  counters: TABLE_COUNTERS,
  families: TABLE_FAMILIES,
  key: (e) => e.table_id,
  // A switch answers for every table it has (OVS: 254); only those in use are worth a series.
  accept: (e) => e.active_count > 0,
  context: (switchId, key) => ({ switchId, table: key as number }),
};
