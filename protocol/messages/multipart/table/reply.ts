import type { StructCodec } from '../body.js';

/** ofp_table_stats (§7.3.5.4), 24 bytes. */
export interface TableStats {
  table_id: number;
  active_count: number;
  lookup_count: bigint;
  matched_count: bigint;
}

export const TABLE_STATS_LEN = 24;

export const tableStats: StructCodec<TableStats> = {
  decode(r) {
    const table_id = r.u8('table_id');
    r.skip(3);
    return {
      table_id,
      active_count: r.u32('active_count'),
      lookup_count: r.u64('lookup_count'),
      matched_count: r.u64('matched_count'),
    };
  },
  encode(w, v) {
    w.u8(v.table_id).zeros(3).u32(v.active_count).u64(v.lookup_count).u64(v.matched_count);
  },
};
