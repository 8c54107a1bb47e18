import { family, type MessageBase } from '../../family.js';
import { OFPT } from '../../constants.js';
import { checkUint } from '../../structs/fixed-tlv.js';
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

export const families = [
  family<PacketInMessage>({
    code: OFPT.PACKET_IN,
    name: 'PACKET_IN',
    decode(r) {
      const buffer_id = r.u32('buffer_id');
      const total_len = r.u16('total_len');
      const reason = r.u8('reason');
      const table_id = r.u8('table_id');
      const cookie = r.u64('cookie');
      const match = decodeMatch(r);
      // Two bytes of padding keep the Ethernet payload after it IP-aligned.
      r.skip(2);
      return { buffer_id, total_len, reason, table_id, cookie, match, data: r.bytes(r.remaining, 'data') };
    },
    encode(w, m) {
      w.u32(checkUint('buffer_id', m.buffer_id, 32)).u16(checkUint('total_len', m.total_len, 16));
      w.u8(checkUint('reason', m.reason, 8)).u8(checkUint('table_id', m.table_id, 8)).u64(m.cookie);
      encodeMatch(w, m.match);
      w.zeros(2).bytes(m.data);
    },
  }),
];
