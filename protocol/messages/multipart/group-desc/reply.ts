import type { StructCodec } from '../body.js';
import { decodeBuckets, encodeBuckets, type Bucket } from '../../../structs/bucket.js';

/** ofp_group_desc (§7.3.5.10): 8 fixed bytes, then the buckets. */
export interface GroupDesc {
  /** ofp_group_type (ALL, SELECT, INDIRECT, FF) as the spec's number. */
  type: number;
  group_id: number;
  buckets: Bucket[];
}

export const GROUP_DESC_FIXED_LEN = 8;

export const groupDesc: StructCodec<GroupDesc> = {
  decode(r) {
    r.skip(2, 'length');
    const type = r.u8('type');
    r.skip(1);
    const group_id = r.u32('group_id');
    return { type, group_id, buckets: decodeBuckets(r) };
  },
  encode(w, v) {
    w.u16(0).u8(v.type).u8(0).u32(v.group_id);
    encodeBuckets(w, v.buckets);
  },
};
