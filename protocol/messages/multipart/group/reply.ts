import type { StructCodec } from '../body.js';
import { fixedList } from '../body.js';

/** ofp_bucket_counter, 16 bytes. */
export interface BucketCounter {
  packet_count: bigint;
  byte_count: bigint;
}

/** ofp_group_stats (§7.3.5.9): 40 fixed bytes, then one counter per bucket. */
export interface GroupStats {
  group_id: number;
  ref_count: number;
  packet_count: bigint;
  byte_count: bigint;
  duration_sec: number;
  duration_nsec: number;
  bucket_stats: BucketCounter[];
}

export const GROUP_STATS_FIXED_LEN = 40;

const bucketCounters = fixedList<BucketCounter>(
  {
    decode: (r) => ({ packet_count: r.u64('packet_count'), byte_count: r.u64('byte_count') }),
    encode: (w, v) => void w.u64(v.packet_count).u64(v.byte_count),
  },
  'bucket counter',
  16,
);

export const groupStats: StructCodec<GroupStats> = {
  decode(r) {
    r.skip(4, 'length and padding');
    const group_id = r.u32('group_id');
    const ref_count = r.u32('ref_count');
    r.skip(4);
    return {
      group_id,
      ref_count,
      packet_count: r.u64('packet_count'),
      byte_count: r.u64('byte_count'),
      duration_sec: r.u32('duration_sec'),
      duration_nsec: r.u32('duration_nsec'),
      bucket_stats: bucketCounters.decode(r),
    };
  },
  encode(w, v) {
    w.u16(0).zeros(2).u32(v.group_id).u32(v.ref_count).zeros(4)
      .u64(v.packet_count).u64(v.byte_count).u32(v.duration_sec).u32(v.duration_nsec);
    bucketCounters.encode(w, v.bucket_stats);
  },
};
