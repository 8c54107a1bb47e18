import { family, type BodyOf, type MessageBase } from '../../family.js';
import { decodeHead, encodeLayout, type Layout } from '../fixed-layout.js';
import { OFPT } from '../../constants.js';
import { decodeMatch, encodeMatch, type Match } from '../../structs/match.js';

/** ofp_packet_in (§7.4.1). */
export interface PacketInMessage extends MessageBase<'PACKET_IN'> {
  buffer_id: number;
  total_len: number;
  reason: number;
  table_id: number;
  cookie: bigint;
  match: Match;
  data: Buffer;
}

export type Messages = PacketInMessage;

/** The fixed part before the match. */
const HEAD: Layout = [['buffer_id', 'u32'], ['total_len', 'u16'], ['reason', 'u8'], ['table_id', 'u8'], ['cookie', 'u64']];

export const families = [
  family<PacketInMessage>({
    code: OFPT.PACKET_IN,
    name: 'PACKET_IN',
    decode(r) {
      const head = decodeHead(r, HEAD) as Omit<BodyOf<PacketInMessage>, 'match' | 'data'>;
      const match = decodeMatch(r);
      // Two bytes of padding keep the Ethernet payload after it IP-aligned.
      r.skip(2);
      return { ...head, match, data: r.bytes(r.remaining, 'data') };
    },
    encode(w, m) {
      encodeLayout(w, HEAD, m);
      encodeMatch(w, m.match);
      w.zeros(2).bytes(m.data);
    },
  }),
];
