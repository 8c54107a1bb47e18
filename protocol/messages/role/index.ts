import { OFP_VERSION, OFPT } from '../../constants.js';
import type { Family, MessageBase } from '../../family.js';
import { fixedFamily, type Layout } from '../fixed-layout.js';

/** ofp_role_request: the body of ROLE_REQUEST and ROLE_REPLY. */
export interface RoleBody {
  /** One of OFPCR_ROLE_*. */
  role: number;
  generation_id: bigint;
}
export interface RoleRequestMessage extends MessageBase<'ROLE_REQUEST'>, RoleBody {}
export interface RoleReplyMessage extends MessageBase<'ROLE_REPLY'>, RoleBody {}
export type Messages = RoleRequestMessage | RoleReplyMessage;

/** ofp_controller_role. */
export const OFPCR_ROLE_NOCHANGE = 0;
export const OFPCR_ROLE_EQUAL = 1;
export const OFPCR_ROLE_MASTER = 2;
export const OFPCR_ROLE_SLAVE = 3;
export const OFPCR_ROLE = {
  NOCHANGE: OFPCR_ROLE_NOCHANGE,
  EQUAL: OFPCR_ROLE_EQUAL,
  MASTER: OFPCR_ROLE_MASTER,
  SLAVE: OFPCR_ROLE_SLAVE,
} as const;

const ROLE: Layout = [['role', 'u32'], 4, ['generation_id', 'u64']];

export const families: readonly Family<MessageBase>[] = [
  fixedFamily<RoleRequestMessage>(OFPT.ROLE_REQUEST, 'ROLE_REQUEST', ROLE, true),
  fixedFamily<RoleReplyMessage>(OFPT.ROLE_REPLY, 'ROLE_REPLY', ROLE, true),
];

/**
 * A role request. generation_id only matters for MASTER and SLAVE (the switch ignores it for
 * EQUAL and NOCHANGE); a stale one is answered with ROLE_REQUEST_FAILED / STALE.
 */
export function roleRequest(xid: number, role: number, generation_id = 0n): RoleRequestMessage {
  return { version: OFP_VERSION, type: 'ROLE_REQUEST', xid, role, generation_id: BigInt.asUintN(64, generation_id) };
}
