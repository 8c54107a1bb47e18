import { OFP_VERSION, OFPT } from '../../constants.js';
import type { Family, MessageBase } from '../../family.js';
import { fixedFamily } from '../fixed-layout.js';

/** Both carry nothing but the header. */
export type BarrierRequestMessage = MessageBase<'BARRIER_REQUEST'>;
export type BarrierReplyMessage = MessageBase<'BARRIER_REPLY'>;
export type Messages = BarrierRequestMessage | BarrierReplyMessage;

export const families: readonly Family<MessageBase>[] = [
  fixedFamily<BarrierRequestMessage>(OFPT.BARRIER_REQUEST, 'BARRIER_REQUEST', [], true),
  fixedFamily<BarrierReplyMessage>(OFPT.BARRIER_REPLY, 'BARRIER_REPLY', [], true),
];

export function barrierRequest(xid: number): BarrierRequestMessage {
  return { version: OFP_VERSION, type: 'BARRIER_REQUEST', xid };
}

export function barrierReply(request: Pick<BarrierRequestMessage, 'xid'>): BarrierReplyMessage {
  return { version: OFP_VERSION, type: 'BARRIER_REPLY', xid: request.xid };
}
