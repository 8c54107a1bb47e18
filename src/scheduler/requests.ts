/**
 * The request body each stat type is polled with: "everything" in every case, so one request
 * per stat type and switch covers the whole switch.
 */
import { OFPG_ALL, OFPG_ANY, OFPM_ALL, OFPP, OFPTT_ALL } from '../../protocol/constants.js';
import type { StatType } from './types.js';

const ALL_FLOWS = {
  table_id: OFPTT_ALL,
  out_port: OFPP.ANY,
  out_group: OFPG_ANY,
  cookie: 0n,
  cookie_mask: 0n,
  // OFPMT_OXM with no fields: matches every rule.
  match: { type: 1, oxm_fields: [] },
};

const BODIES: Readonly<Record<StatType, () => unknown[]>> = {
  FLOW: () => [{ ...ALL_FLOWS }],
  TABLE: () => [],
  PORT_STATS: () => [{ port_no: OFPP.ANY }],
  METER: () => [{ meter_id: OFPM_ALL }],
  METER_CONFIG: () => [{ meter_id: OFPM_ALL }],
  GROUP: () => [{ group_id: OFPG_ALL }],
  GROUP_DESC: () => [],
  PORT_DESC: () => [],
  DESC: () => [],
};

export function requestBody(type: StatType): unknown[] {
  return BODIES[type]();
}
