import { OFP_VERSION, OFPT } from '../../constants.js';
import type { Family, MessageBase } from '../../family.js';
import { fixedFamily, type Layout } from '../fixed-layout.js';

/** Element 0 applies in the master and equal roles, element 1 in the slave role. */
export type RoleMasks = [masterEqual: number, slave: number];

/** ofp_async_config: the body of GET_ASYNC_REPLY and SET_ASYNC. */
export interface AsyncConfig {
  packet_in_mask: RoleMasks;
  port_status_mask: RoleMasks;
  flow_removed_mask: RoleMasks;
}
export type GetAsyncRequestMessage = MessageBase<'GET_ASYNC_REQUEST'>;
export interface GetAsyncReplyMessage extends MessageBase<'GET_ASYNC_REPLY'>, AsyncConfig {}
/** State-changing: decoded (captures hold it), never encoded. */
export interface SetAsyncMessage extends MessageBase<'SET_ASYNC'>, AsyncConfig {}
export type Messages = GetAsyncRequestMessage | GetAsyncReplyMessage | SetAsyncMessage;

const ASYNC: Layout = [
  ['packet_in_mask', 'u32pair'],
  ['port_status_mask', 'u32pair'],
  ['flow_removed_mask', 'u32pair'],
];

export const families: readonly Family<MessageBase>[] = [
  fixedFamily<GetAsyncRequestMessage>(OFPT.GET_ASYNC_REQUEST, 'GET_ASYNC_REQUEST', [], true),
  fixedFamily<GetAsyncReplyMessage>(OFPT.GET_ASYNC_REPLY, 'GET_ASYNC_REPLY', ASYNC, true),
  fixedFamily<SetAsyncMessage>(OFPT.SET_ASYNC, 'SET_ASYNC', ASYNC, false),
];

export function getAsyncRequest(xid: number): GetAsyncRequestMessage {
  return { version: OFP_VERSION, type: 'GET_ASYNC_REQUEST', xid };
}
