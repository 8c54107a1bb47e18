import { OFP_VERSION, OFPT } from '../../constants.js';
import type { Family, MessageBase } from '../../family.js';
import { fixedFamily, type Layout } from '../fixed-layout.js';

export type GetConfigRequestMessage = MessageBase<'GET_CONFIG_REQUEST'>;

/** ofp_switch_config: the body of GET_CONFIG_REPLY and SET_CONFIG. */
export interface SwitchConfig {
  flags: number;
  miss_send_len: number;
}
export interface GetConfigReplyMessage extends MessageBase<'GET_CONFIG_REPLY'>, SwitchConfig {}
/** State-changing: decoded (captures hold it), never encoded. */
export interface SetConfigMessage extends MessageBase<'SET_CONFIG'>, SwitchConfig {}
export type Messages = GetConfigRequestMessage | GetConfigReplyMessage | SetConfigMessage;

/** ofp_config_flags. */
export const OFPC_FRAG = {
  NORMAL: 0,
  DROP: 1,
  REASM: 2,
  MASK: 3,
} as const;
/** miss_send_len asking for whole packets, unbuffered. */
export const OFPCML_NO_BUFFER = 0xffff;

const SWITCH_CONFIG: Layout = [
  ['flags', 'u16'],
  ['miss_send_len', 'u16'],
];

export const families: readonly Family<MessageBase>[] = [
  fixedFamily<GetConfigRequestMessage>(OFPT.GET_CONFIG_REQUEST, 'GET_CONFIG_REQUEST', [], true),
  fixedFamily<GetConfigReplyMessage>(OFPT.GET_CONFIG_REPLY, 'GET_CONFIG_REPLY', SWITCH_CONFIG, true),
  fixedFamily<SetConfigMessage>(OFPT.SET_CONFIG, 'SET_CONFIG', SWITCH_CONFIG, false),
];

export function getConfigRequest(xid: number): GetConfigRequestMessage {
  return { version: OFP_VERSION, type: 'GET_CONFIG_REQUEST', xid };
}
