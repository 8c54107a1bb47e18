import type { StructCodec } from '../body.js';

/** ofp_aggregate_stats_reply (§7.3.5.3), 24 bytes. */
export interface AggregateStats {
  packet_count: bigint;
  byte_count: bigint;
  flow_count: number;
}

export const AGGREGATE_STATS_LEN = 24;

export const aggregateStats: StructCodec<AggregateStats> = {
  decode(r) {
    const packet_count = r.u64('packet_count');
    const byte_count = r.u64('byte_count');
    const flow_count = r.u32('flow_count');
    r.skip(4);
    return { packet_count, byte_count, flow_count };
  },
  encode(w, v) {
    w.u64(v.packet_count).u64(v.byte_count).u32(v.flow_count).zeros(4);
  },
};
