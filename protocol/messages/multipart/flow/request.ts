import type { StructCodec } from '../body.js';
import { decodeMatch, encodeMatch, type Match } from '../../../structs/match.js';

/** ofp_flow_stats_request (§7.3.5.2); AGGREGATE requests use the same structure. */
export interface FlowStatsRequest {
  table_id: number;
  out_port: number;
  out_group: number;
  cookie: bigint;
  cookie_mask: bigint;
  match: Match;
}

export const flowStatsRequest: StructCodec<FlowStatsRequest> = {
  decode(r) {
    const table_id = r.u8('table_id');
    r.skip(3);
    const out_port = r.u32('out_port');
    const out_group = r.u32('out_group');
    r.skip(4);
    const cookie = r.u64('cookie');
    const cookie_mask = r.u64('cookie_mask');
    return { table_id, out_port, out_group, cookie, cookie_mask, match: decodeMatch(r) };
  },
  encode(w, v) {
    w.u8(v.table_id).zeros(3).u32(v.out_port).u32(v.out_group).zeros(4).u64(v.cookie).u64(v.cookie_mask);
    encodeMatch(w, v.match);
  },
};
