import { family, type BodyOf, type MessageBase } from '../../family.js';
import { decodeHead, type Layout } from '../fixed-layout.js';
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

/** The fixed part before the match. */
const HEAD: Layout = [
  ['cookie', 'u64'], ['cookie_mask', 'u64'], ['table_id', 'u8'], ['command', 'u8'],
  ['idle_timeout', 'u16'], ['hard_timeout', 'u16'], ['priority', 'u16'], ['buffer_id', 'u32'],
  ['out_port', 'u32'], ['out_group', 'u32'], ['flags', 'u16'], 2,
];

export const families = [
  family<FlowModMessage>({
    code: OFPT.FLOW_MOD,
    name: 'FLOW_MOD',
    decode(r) {
      const head = decodeHead(r, HEAD) as Omit<BodyOf<FlowModMessage>, 'match' | 'instructions'>;
      const match = decodeMatch(r);
      return { ...head, match, instructions: decodeInstructions(r) };
    },
  }),
];
