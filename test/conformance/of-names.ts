/**
 * OpenFlow 1.3.5 type numbers → the names our decoder uses (the spec's constant without its
 * prefix), written out here from the spec so the expectations do not come from the codec.
 */
export type Names = Readonly<Record<number, string>>;

export const OFPT: Names = {
  0: 'HELLO', 1: 'ERROR', 2: 'ECHO_REQUEST', 3: 'ECHO_REPLY', 4: 'EXPERIMENTER',
  5: 'FEATURES_REQUEST', 6: 'FEATURES_REPLY', 7: 'GET_CONFIG_REQUEST', 8: 'GET_CONFIG_REPLY',
  9: 'SET_CONFIG', 10: 'PACKET_IN', 11: 'FLOW_REMOVED', 12: 'PORT_STATUS', 13: 'PACKET_OUT',
  14: 'FLOW_MOD', 15: 'GROUP_MOD', 16: 'PORT_MOD', 17: 'TABLE_MOD', 18: 'MULTIPART_REQUEST',
  19: 'MULTIPART_REPLY', 20: 'BARRIER_REQUEST', 21: 'BARRIER_REPLY', 22: 'QUEUE_GET_CONFIG_REQUEST',
  23: 'QUEUE_GET_CONFIG_REPLY', 24: 'ROLE_REQUEST', 25: 'ROLE_REPLY', 26: 'GET_ASYNC_REQUEST',
  27: 'GET_ASYNC_REPLY', 28: 'SET_ASYNC', 29: 'METER_MOD',
};

export const OFPMP: Names = {
  0: 'DESC', 1: 'FLOW', 2: 'AGGREGATE', 3: 'TABLE', 4: 'PORT_STATS', 5: 'QUEUE', 6: 'GROUP',
  7: 'GROUP_DESC', 8: 'GROUP_FEATURES', 9: 'METER', 10: 'METER_CONFIG', 11: 'METER_FEATURES',
  12: 'TABLE_FEATURES', 13: 'PORT_DESC', 0xffff: 'EXPERIMENTER',
};

export const OFPAT: Names = {
  0: 'OUTPUT', 11: 'COPY_TTL_OUT', 12: 'COPY_TTL_IN', 15: 'SET_MPLS_TTL', 16: 'DEC_MPLS_TTL',
  17: 'PUSH_VLAN', 18: 'POP_VLAN', 19: 'PUSH_MPLS', 20: 'POP_MPLS', 21: 'SET_QUEUE', 22: 'GROUP',
  23: 'SET_NW_TTL', 24: 'DEC_NW_TTL', 25: 'SET_FIELD', 26: 'PUSH_PBB', 27: 'POP_PBB',
  0xffff: 'EXPERIMENTER',
};

export const OFPIT: Names = {
  1: 'GOTO_TABLE', 2: 'WRITE_METADATA', 3: 'WRITE_ACTIONS', 4: 'APPLY_ACTIONS',
  5: 'CLEAR_ACTIONS', 6: 'METER', 0xffff: 'EXPERIMENTER',
};

export const OFPMBT: Names = { 1: 'DROP', 2: 'DSCP_REMARK', 0xffff: 'EXPERIMENTER' };
export const OFPHET: Names = { 1: 'VERSIONBITMAP' };
export const OFPQT: Names = { 1: 'MIN_RATE', 2: 'MAX_RATE', 0xffff: 'EXPERIMENTER' };

export const OFPTFPT: Names = {
  0: 'INSTRUCTIONS', 1: 'INSTRUCTIONS_MISS', 2: 'NEXT_TABLES', 3: 'NEXT_TABLES_MISS',
  4: 'WRITE_ACTIONS', 5: 'WRITE_ACTIONS_MISS', 6: 'APPLY_ACTIONS', 7: 'APPLY_ACTIONS_MISS',
  8: 'MATCH', 10: 'WILDCARDS', 12: 'WRITE_SETFIELD', 13: 'WRITE_SETFIELD_MISS',
  14: 'APPLY_SETFIELD', 15: 'APPLY_SETFIELD_MISS', 0xfffe: 'EXPERIMENTER', 0xffff: 'EXPERIMENTER_MISS',
};

/** A known number gives its name; an unknown one stays a number, as the codec keeps it. */
export function nameOr(names: Names, n: unknown): unknown {
  return typeof n === 'number' && names[n] !== undefined ? names[n] : n;
}

/**
 * Nicira extensible-match fields Ryu names (class NXM_NX 0x0001 unless stated), from Open
 * vSwitch's meta-flow definitions: our codec keeps these as opaque {class, field, data}.
 */
export const NXM_FIELDS: Readonly<Record<string, { class: number; field: number; width: number }>> = {
  ...Object.fromEntries(Array.from({ length: 16 }, (_, i) => [`reg${i}`, { class: 1, field: i, width: 4 }])),
  tun_ipv4_src: { class: 1, field: 31, width: 4 },
  tun_ipv4_dst: { class: 1, field: 32, width: 4 },
  pkt_mark: { class: 1, field: 33, width: 4 },
  conj_id: { class: 1, field: 37, width: 4 },
  ct_state: { class: 1, field: 105, width: 4 },
  ct_zone: { class: 1, field: 106, width: 2 },
  ct_mark: { class: 1, field: 107, width: 4 },
};
