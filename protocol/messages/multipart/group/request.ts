import type { StructCodec } from '../body.js';

/** ofp_group_stats_request (§7.3.5.9), 8 bytes; group_id OFPG_ALL asks for all groups. */
export interface GroupStatsRequest {
  group_id: number;
}

export const GROUP_STATS_REQUEST_LEN = 8;

export const groupStatsRequest: StructCodec<GroupStatsRequest> = {
  decode(r) {
    const group_id = r.u32('group_id');
    r.skip(4);
    return { group_id };
  },
  encode(w, v) {
    w.u32(v.group_id).zeros(4);
  },
};
