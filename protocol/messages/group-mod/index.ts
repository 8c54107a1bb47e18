import { family, type MessageBase } from '../../family.js';
import { OFPT } from '../../constants.js';
import { decodeBuckets, type Bucket } from '../../structs/bucket.js';

/**
 * ofp_group_mod (§7.3.4.2). The spec's `type` (ofp_group_type) would collide with the
 * envelope's, so it is `group_type`. State-changing: decoded only.
 */
export interface GroupModMessage extends MessageBase<'GROUP_MOD'> {
  command: number;
  group_type: number;
  group_id: number;
  buckets: Bucket[];
}

export type Messages = GroupModMessage;

export const families = [
  family<GroupModMessage>({
    code: OFPT.GROUP_MOD,
    name: 'GROUP_MOD',
    decode(r) {
      const command = r.u16('command');
      const group_type = r.u8('type');
      r.skip(1);
      const group_id = r.u32('group_id');
      return { command, group_type, group_id, buckets: decodeBuckets(r) };
    },
  }),
];
