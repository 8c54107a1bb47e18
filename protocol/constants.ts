/** Wire version of OpenFlow 1.3. */
export const OFP_VERSION = 0x04;
export const OFP_HEADER_LEN = 8;

/** ofp_type, OpenFlow 1.3.5 §7.1. Names are the spec's without `OFPT_`. */
export const OFPT = {
  HELLO: 0,
  ERROR: 1,
  ECHO_REQUEST: 2,
  ECHO_REPLY: 3,
  EXPERIMENTER: 4,
  FEATURES_REQUEST: 5,
  FEATURES_REPLY: 6,
  GET_CONFIG_REQUEST: 7,
  GET_CONFIG_REPLY: 8,
  SET_CONFIG: 9,
  PACKET_IN: 10,
  FLOW_REMOVED: 11,
  PORT_STATUS: 12,
  PACKET_OUT: 13,
  FLOW_MOD: 14,
  GROUP_MOD: 15,
  PORT_MOD: 16,
  TABLE_MOD: 17,
  MULTIPART_REQUEST: 18,
  MULTIPART_REPLY: 19,
  BARRIER_REQUEST: 20,
  BARRIER_REPLY: 21,
  QUEUE_GET_CONFIG_REQUEST: 22,
  QUEUE_GET_CONFIG_REPLY: 23,
  ROLE_REQUEST: 24,
  ROLE_REPLY: 25,
  GET_ASYNC_REQUEST: 26,
  GET_ASYNC_REPLY: 27,
  SET_ASYNC: 28,
  METER_MOD: 29,
} as const;
export type MsgTypeName = keyof typeof OFPT;

/**
 * Message types that change switch state. The codec decodes them (a capture may hold them)
 * but has no encoder for any of them, and the connection layer refuses them again.
 */
export const STATE_CHANGING_TYPES = [
  'FLOW_MOD',
  'GROUP_MOD',
  'PORT_MOD',
  'TABLE_MOD',
  'METER_MOD',
  'PACKET_OUT',
  'SET_CONFIG',
  'SET_ASYNC',
] as const satisfies readonly MsgTypeName[];

/** ofp_multipart_type, §7.3.5. Names without `OFPMP_`. */
export const OFPMP = {
  DESC: 0,
  FLOW: 1,
  AGGREGATE: 2,
  TABLE: 3,
  PORT_STATS: 4,
  QUEUE: 5,
  GROUP: 6,
  GROUP_DESC: 7,
  GROUP_FEATURES: 8,
  METER: 9,
  METER_CONFIG: 10,
  METER_FEATURES: 11,
  TABLE_FEATURES: 12,
  PORT_DESC: 13,
  EXPERIMENTER: 0xffff,
} as const;
export type MultipartTypeName = keyof typeof OFPMP;

/** ofp_multipart_request_flags / ofp_multipart_reply_flags. */
export const OFPMPF_REQ_MORE = 1;
export const OFPMPF_REPLY_MORE = 1;

/** Reserved port numbers (ofp_port_no). */
export const OFPP = {
  MAX: 0xffffff00,
  IN_PORT: 0xfffffff8,
  TABLE: 0xfffffff9,
  NORMAL: 0xfffffffa,
  FLOOD: 0xfffffffb,
  ALL: 0xfffffffc,
  CONTROLLER: 0xfffffffd,
  LOCAL: 0xfffffffe,
  ANY: 0xffffffff,
} as const;

export const OFPTT_ALL = 0xff;
export const OFPG_ANY = 0xffffffff;
export const OFPG_ALL = 0xfffffffc;
export const OFPM_ALL = 0xffffffff;
export const OFPQ_ALL = 0xffffffff;

/** Reverse lookup table helper: number → name for a `{NAME: number}` table. */
export function namesOf<T extends Record<string, number>>(table: T): Map<number, keyof T & string> {
  const m = new Map<number, keyof T & string>();
  for (const [k, v] of Object.entries(table)) if (!m.has(v)) m.set(v, k as keyof T & string);
  return m;
}

export const OFPT_NAMES = namesOf(OFPT);
export const OFPMP_NAMES = namesOf(OFPMP);

const STATE_CHANGING_SET: ReadonlySet<string> = new Set(STATE_CHANGING_TYPES);
/** Whether a message type name changes switch state (the read-only guard's deny list). */
export function isStateChanging(type: string): boolean {
  return STATE_CHANGING_SET.has(type);
}
