import { OFPT } from '../../constants.js';
import type { Family, MessageBase } from '../../family.js';
import { fixedFamily, type Layout } from '../fixed-layout.js';

/** ofp_port_mod. State-changing: decoded (captures hold it), never encoded. */
export interface PortModMessage extends MessageBase<'PORT_MOD'> {
  port_no: number;
  hw_addr: string;
  /** OFPPC_* bits to set, among those selected by `mask`. */
  config: number;
  mask: number;
  /** OFPPF_* bits; 0 leaves the advertisement unchanged. */
  advertise: number;
}
export type Messages = PortModMessage;

const PORT_MOD: Layout = [
  ['port_no', 'u32'],
  4,
  ['hw_addr', 'mac'],
  2,
  ['config', 'u32'],
  ['mask', 'u32'],
  ['advertise', 'u32'],
  4,
];

export const families: readonly Family<MessageBase>[] = [
  fixedFamily<PortModMessage>(OFPT.PORT_MOD, 'PORT_MOD', PORT_MOD, false),
];
