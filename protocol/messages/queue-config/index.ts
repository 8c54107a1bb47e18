import { OFP_VERSION, OFPT } from '../../constants.js';
import { family, type Family, type MessageBase } from '../../family.js';
import { decodePacketQueues, encodePacketQueues, type PacketQueue } from '../../structs/queue.js';
import { fixedFamily, type Layout } from '../fixed-layout.js';

/** ofp_queue_get_config_request: `port` may be OFPP_ANY for every port's queues. */
export interface QueueGetConfigRequestMessage extends MessageBase<'QUEUE_GET_CONFIG_REQUEST'> {
  port: number;
}
/** ofp_queue_get_config_reply. */
export interface QueueGetConfigReplyMessage extends MessageBase<'QUEUE_GET_CONFIG_REPLY'> {
  port: number;
  queues: PacketQueue[];
}
export type Messages = QueueGetConfigRequestMessage | QueueGetConfigReplyMessage;

const REQUEST: Layout = [['port', 'u32'], 4];

const reply = family<QueueGetConfigReplyMessage>({
  code: OFPT.QUEUE_GET_CONFIG_REPLY,
  name: 'QUEUE_GET_CONFIG_REPLY',
  decode(r) {
    const port = r.u32('port');
    r.skip(4);
    return { port, queues: decodePacketQueues(r) };
  },
  encode(w, m) {
    w.u32(m.port).zeros(4);
    encodePacketQueues(w, m.queues);
  },
});

export const families: readonly Family<MessageBase>[] = [
  fixedFamily<QueueGetConfigRequestMessage>(OFPT.QUEUE_GET_CONFIG_REQUEST, 'QUEUE_GET_CONFIG_REQUEST', REQUEST, true),
  reply as unknown as Family<MessageBase>,
];

export function queueGetConfigRequest(xid: number, port: number): QueueGetConfigRequestMessage {
  return { version: OFP_VERSION, type: 'QUEUE_GET_CONFIG_REQUEST', xid, port };
}
