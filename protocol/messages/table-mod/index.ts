import { OFPT } from '../../constants.js';
import type { Family, MessageBase } from '../../family.js';
import { fixedFamily, type Layout } from '../fixed-layout.js';

/** ofp_table_mod. State-changing: decoded (captures hold it), never encoded. */
export interface TableModMessage extends MessageBase<'TABLE_MOD'> {
  /** OFPTT_ALL (0xff) for every table. */
  table_id: number;
  /** Bits of ofp_table_config; all deprecated in 1.3 (OFPTC_DEPRECATED_MASK = 3). */
  config: number;
}
export type Messages = TableModMessage;

const TABLE_MOD: Layout = [['table_id', 'u8'], 3, ['config', 'u32']];

export const families: readonly Family<MessageBase>[] = [
  fixedFamily<TableModMessage>(OFPT.TABLE_MOD, 'TABLE_MOD', TABLE_MOD, false),
];
