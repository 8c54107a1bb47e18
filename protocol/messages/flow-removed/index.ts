import { family, type MessageBase } from '../../family.js';
import { OFPT } from '../../constants.js';
import { checkUint } from '../../structs/fixed-tlv.js';
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

export const families = [
  family<FlowRemovedMessage>({
    code: OFPT.FLOW_REMOVED,
    name: 'FLOW_REMOVED',
    decode(r) {
      const cookie = r.u64('cookie');
      const priority = r.u16('priority');
      const reason = r.u8('reason');
      const table_id = r.u8('table_id');
      const duration_sec = r.u32('duration_sec');
      const duration_nsec = r.u32('duration_nsec');
      const idle_timeout = r.u16('idle_timeout');
      const hard_timeout = r.u16('hard_timeout');
      const packet_count = r.u64('packet_count');
      const byte_count = r.u64('byte_count');
      const match = decodeMatch(r);
      r.expectEnd('FLOW_REMOVED');
      return {
        cookie, priority, reason, table_id, duration_sec, duration_nsec, idle_timeout,
        hard_timeout, packet_count, byte_count, match,
      };
    },
    encode(w, m) {
      w.u64(m.cookie).u16(checkUint('priority', m.priority, 16));
      w.u8(checkUint('reason', m.reason, 8)).u8(checkUint('table_id', m.table_id, 8));
      w.u32(checkUint('duration_sec', m.duration_sec, 32)).u32(checkUint('duration_nsec', m.duration_nsec, 32));
      w.u16(checkUint('idle_timeout', m.idle_timeout, 16)).u16(checkUint('hard_timeout', m.hard_timeout, 16));
      w.u64(m.packet_count).u64(m.byte_count);
      encodeMatch(w, m.match);
    },
  }),
];
