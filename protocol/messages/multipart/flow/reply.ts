import type { StructCodec } from '../body.js';
import { decodeMatch, encodeMatch, type Match } from '../../../structs/match.js';
import { decodeInstructions, encodeInstructions, type Instruction } from '../../../structs/instructions.js';

/** ofp_flow_stats (§7.3.5.2). */
export interface FlowStats {
  table_id: number;
  duration_sec: number;
  duration_nsec: number;
  priority: number;
  idle_timeout: number;
  hard_timeout: number;
  flags: number;
  cookie: bigint;
  packet_count: bigint;
  byte_count: bigint;
  match: Match;
  instructions: Instruction[];
}

/** The fixed part before the match. */
export const FLOW_STATS_FIXED_LEN = 48;

/**
 * The hot path of a poller: one pass over the fixed fields, then the match and instructions.
 * `r` spans exactly one entry (lengthList cut it), so the instructions run to its end.
 */
export const flowStats: StructCodec<FlowStats> = {
  decode(r) {
    r.need(FLOW_STATS_FIXED_LEN, 'flow stats');
    r.skip(2); // length: the list helper already used it to cut this entry
    const table_id = r.u8();
    r.pos += 1;
    const duration_sec = r.u32();
    const duration_nsec = r.u32();
    const priority = r.u16();
    const idle_timeout = r.u16();
    const hard_timeout = r.u16();
    const flags = r.u16();
    r.pos += 4;
    const cookie = r.u64();
    const packet_count = r.u64();
    const byte_count = r.u64();
    const match = decodeMatch(r);
    const instructions = decodeInstructions(r);
    return {
      table_id, duration_sec, duration_nsec, priority, idle_timeout, hard_timeout, flags,
      cookie, packet_count, byte_count, match, instructions,
    };
  },
  encode(w, v) {
    w.u16(0).u8(v.table_id).u8(0).u32(v.duration_sec).u32(v.duration_nsec)
      .u16(v.priority).u16(v.idle_timeout).u16(v.hard_timeout).u16(v.flags).zeros(4)
      .u64(v.cookie).u64(v.packet_count).u64(v.byte_count);
    encodeMatch(w, v.match);
    encodeInstructions(w, v.instructions);
  },
};
