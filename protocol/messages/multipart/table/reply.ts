import type { StructCodec } from '../body.js';
import { layoutStruct } from '../../fixed-layout.js';

/** ofp_table_stats (§7.3.5.4), 24 bytes. */
export interface TableStats {
  table_id: number;
  active_count: number;
  lookup_count: bigint;
  matched_count: bigint;
}

export const TABLE_STATS_LEN = 24;

export const tableStats: StructCodec<TableStats> = layoutStruct<TableStats>([
  ['table_id', 'u8'], 3, ['active_count', 'u32'], ['lookup_count', 'u64'], ['matched_count', 'u64'],
]);
