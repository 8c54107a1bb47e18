import { OFP_VERSION, OFPT } from '../../constants.js';
import type { Family, MessageBase } from '../../family.js';
import { fixedFamily, type Layout } from '../fixed-layout.js';

export type FeaturesRequestMessage = MessageBase<'FEATURES_REQUEST'>;

/** ofp_switch_features. */
export interface FeaturesReplyMessage extends MessageBase<'FEATURES_REPLY'> {
  datapath_id: bigint;
  n_buffers: number;
  n_tables: number;
  /** 0 on the main connection; auxiliary connections carry their own id. */
  auxiliary_id: number;
  capabilities: number;
  reserved: number;
}
export type Messages = FeaturesRequestMessage | FeaturesReplyMessage;

/** ofp_capabilities bits. */
export const OFPC = {
  FLOW_STATS: 1 << 0,
  TABLE_STATS: 1 << 1,
  PORT_STATS: 1 << 2,
  GROUP_STATS: 1 << 3,
  IP_REASM: 1 << 5,
  QUEUE_STATS: 1 << 6,
  PORT_BLOCKED: 1 << 8,
} as const;

const REPLY: Layout = [
  ['datapath_id', 'u64'],
  ['n_buffers', 'u32'],
  ['n_tables', 'u8'],
  ['auxiliary_id', 'u8'],
  2,
  ['capabilities', 'u32'],
  ['reserved', 'u32'],
];

export const families: readonly Family<MessageBase>[] = [
  fixedFamily<FeaturesRequestMessage>(OFPT.FEATURES_REQUEST, 'FEATURES_REQUEST', [], true),
  fixedFamily<FeaturesReplyMessage>(OFPT.FEATURES_REPLY, 'FEATURES_REPLY', REPLY, true),
];

export function featuresRequest(xid: number): FeaturesRequestMessage {
  return { version: OFP_VERSION, type: 'FEATURES_REQUEST', xid };
}
