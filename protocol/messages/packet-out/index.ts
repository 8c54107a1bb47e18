import { family, type MessageBase } from '../../family.js';
import { OFPT } from '../../constants.js';
import { decodeActions, type Action } from '../../structs/actions.js';

/** ofp_packet_out (§7.3.7); actions_len is implied. State-changing: decoded only. */
export interface PacketOutMessage extends MessageBase<'PACKET_OUT'> {
  buffer_id: number;
  in_port: number;
  actions: Action[];
  data: Buffer;
}

export type Messages = PacketOutMessage;

export const families = [
  family<PacketOutMessage>({
    code: OFPT.PACKET_OUT,
    name: 'PACKET_OUT',
    decode(r) {
      const buffer_id = r.u32('buffer_id');
      const in_port = r.u32('in_port');
      const actionsLen = r.u16('actions_len');
      r.skip(6);
      const actions = decodeActions(r.sub(actionsLen, 'actions'));
      return { buffer_id, in_port, actions, data: r.bytes(r.remaining, 'data') };
    },
  }),
];
