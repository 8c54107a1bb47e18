import { family, type MessageBase } from '../../family.js';
import { OFPT } from '../../constants.js';
import { decodeMatch, type Match } from '../../structs/match.js';
import { decodeInstructions, type Instruction } from '../../structs/instructions.js';

/** ofp_flow_mod (§7.3.4.1). State-changing: decoded only, never encoded. */
export interface FlowModMessage extends MessageBase<'FLOW_MOD'> {
  cookie: bigint;
  cookie_mask: bigint;
  table_id: number;
  command: number;
  idle_timeout: number;
  hard_timeout: number;
  priority: number;
  buffer_id: number;
  out_port: number;
  out_group: number;
  flags: number;
  match: Match;
  instructions: Instruction[];
}

export type Messages = FlowModMessage;

export const families = [
  family<FlowModMessage>({
    code: OFPT.FLOW_MOD,
    name: 'FLOW_MOD',
    decode(r) {
      const cookie = r.u64('cookie');
      const cookie_mask = r.u64('cookie_mask');
      const table_id = r.u8('table_id');
      const command = r.u8('command');
      const idle_timeout = r.u16('idle_timeout');
      const hard_timeout = r.u16('hard_timeout');
      const priority = r.u16('priority');
      const buffer_id = r.u32('buffer_id');
      const out_port = r.u32('out_port');
      const out_group = r.u32('out_group');
      const flags = r.u16('flags');
      r.skip(2);
      const match = decodeMatch(r);
      const instructions = decodeInstructions(r);
      return {
        cookie, cookie_mask, table_id, command, idle_timeout, hard_timeout, priority,
        buffer_id, out_port, out_group, flags, match, instructions,
      };
    },
  }),
];
