import { family, type BodyOf, type MessageBase } from '../../family.js';
import { decodeHead, encodeLayout, type Layout } from '../fixed-layout.js';
import { OFPT } from '../../constants.js';
import { decodeMatch, encodeMatch, type Match } from '../../structs/match.js';

/** ofp_flow_removed (§7.4.2). */
export interface FlowRemovedMessage extends MessageBase<'FLOW_REMOVED'> {
  cookie: bigint;
  priority: number;
  reason: number;
  table_id: number;
  duration_sec: number;
  duration_nsec: number;
  idle_timeout: number;
  hard_timeout: number;
  packet_count: bigint;
  byte_count: bigint;
  match: Match;
}

export type Messages = FlowRemovedMessage;

/** The fixed part before the match. */
const HEAD: Layout = [
  ['cookie', 'u64'], ['priority', 'u16'], ['reason', 'u8'], ['table_id', 'u8'],
  ['duration_sec', 'u32'], ['duration_nsec', 'u32'], ['idle_timeout', 'u16'], ['hard_timeout', 'u16'],
  ['packet_count', 'u64'], ['byte_count', 'u64'],
];

export const families = [
  family<FlowRemovedMessage>({
    code: OFPT.FLOW_REMOVED,
    name: 'FLOW_REMOVED',
    decode(r) {
      const head = decodeHead(r, HEAD) as Omit<BodyOf<FlowRemovedMessage>, 'match'>;
      const match = decodeMatch(r);
      r.expectEnd('FLOW_REMOVED');
      return { ...head, match };
    },
    encode(w, m) {
      encodeLayout(w, HEAD, m);
      encodeMatch(w, m.match);
    },
  }),
];
