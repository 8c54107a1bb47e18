/**
 * ofp_error_type and every ofp_*_code enum of OpenFlow 1.3.5 (§7.4.4), names without their
 * OFPET_/OFPHFC_/OFPBRC_... prefixes. This one table gives names to decoded errors and
 * numbers to the errors we build; nothing else lists them.
 */
export const ERROR_TABLE = {
  HELLO_FAILED: {
    type: 0,
    codes: { INCOMPATIBLE: 0, EPERM: 1 },
  },
  BAD_REQUEST: {
    type: 1,
    codes: {
      BAD_VERSION: 0,
      BAD_TYPE: 1,
      BAD_MULTIPART: 2,
      BAD_EXPERIMENTER: 3,
      BAD_EXP_TYPE: 4,
      EPERM: 5,
      BAD_LEN: 6,
      BUFFER_EMPTY: 7,
      BUFFER_UNKNOWN: 8,
      BAD_TABLE_ID: 9,
      IS_SLAVE: 10,
      BAD_PORT: 11,
      BAD_PACKET: 12,
      MULTIPART_BUFFER_OVERFLOW: 13,
    },
  },
  BAD_ACTION: {
    type: 2,
    codes: {
      BAD_TYPE: 0,
      BAD_LEN: 1,
      BAD_EXPERIMENTER: 2,
      BAD_EXP_TYPE: 3,
      BAD_OUT_PORT: 4,
      BAD_ARGUMENT: 5,
      EPERM: 6,
      TOO_MANY: 7,
      BAD_QUEUE: 8,
      BAD_OUT_GROUP: 9,
      MATCH_INCONSISTENT: 10,
      UNSUPPORTED_ORDER: 11,
      BAD_TAG: 12,
      BAD_SET_TYPE: 13,
      BAD_SET_LEN: 14,
      BAD_SET_ARGUMENT: 15,
    },
  },
  BAD_INSTRUCTION: {
    type: 3,
    codes: {
      UNKNOWN_INST: 0,
      UNSUP_INST: 1,
      BAD_TABLE_ID: 2,
      UNSUP_METADATA: 3,
      UNSUP_METADATA_MASK: 4,
      BAD_EXPERIMENTER: 5,
      BAD_EXP_TYPE: 6,
      BAD_LEN: 7,
      EPERM: 8,
    },
  },
  BAD_MATCH: {
    type: 4,
    codes: {
      BAD_TYPE: 0,
      BAD_LEN: 1,
      BAD_TAG: 2,
      BAD_DL_ADDR_MASK: 3,
      BAD_NW_ADDR_MASK: 4,
      BAD_WILDCARDS: 5,
      BAD_FIELD: 6,
      BAD_VALUE: 7,
      BAD_MASK: 8,
      BAD_PREREQ: 9,
      DUP_FIELD: 10,
      EPERM: 11,
    },
  },
  FLOW_MOD_FAILED: {
    type: 5,
    codes: {
      UNKNOWN: 0,
      TABLE_FULL: 1,
      BAD_TABLE_ID: 2,
      OVERLAP: 3,
      EPERM: 4,
      BAD_TIMEOUT: 5,
      BAD_COMMAND: 6,
      BAD_FLAGS: 7,
    },
  },
  GROUP_MOD_FAILED: {
    type: 6,
    codes: {
      GROUP_EXISTS: 0,
      INVALID_GROUP: 1,
      WEIGHT_UNSUPPORTED: 2,
      OUT_OF_GROUPS: 3,
      OUT_OF_BUCKETS: 4,
      CHAINING_UNSUPPORTED: 5,
      WATCH_UNSUPPORTED: 6,
      LOOP: 7,
      UNKNOWN_GROUP: 8,
      CHAINED_GROUP: 9,
      BAD_TYPE: 10,
      BAD_COMMAND: 11,
      BAD_BUCKET: 12,
      BAD_WATCH: 13,
      EPERM: 14,
    },
  },
  PORT_MOD_FAILED: {
    type: 7,
    codes: { BAD_PORT: 0, BAD_HW_ADDR: 1, BAD_CONFIG: 2, BAD_ADVERTISE: 3, EPERM: 4 },
  },
  TABLE_MOD_FAILED: {
    type: 8,
    codes: { BAD_TABLE: 0, BAD_CONFIG: 1, EPERM: 2 },
  },
  QUEUE_OP_FAILED: {
    type: 9,
    codes: { BAD_PORT: 0, BAD_QUEUE: 1, EPERM: 2 },
  },
  SWITCH_CONFIG_FAILED: {
    type: 10,
    codes: { BAD_FLAGS: 0, BAD_LEN: 1, EPERM: 2 },
  },
  ROLE_REQUEST_FAILED: {
    type: 11,
    codes: { STALE: 0, UNSUP: 1, BAD_ROLE: 2 },
  },
  METER_MOD_FAILED: {
    type: 12,
    codes: {
      UNKNOWN: 0,
      METER_EXISTS: 1,
      INVALID_METER: 2,
      UNKNOWN_METER: 3,
      BAD_COMMAND: 4,
      BAD_FLAGS: 5,
      BAD_RATE: 6,
      BAD_BURST: 7,
      BAD_BAND: 8,
      BAD_BAND_VALUE: 9,
      OUT_OF_METERS: 10,
      OUT_OF_BANDS: 11,
    },
  },
  TABLE_FEATURES_FAILED: {
    type: 13,
    codes: { BAD_TABLE: 0, BAD_METADATA: 1, BAD_TYPE: 2, BAD_LEN: 3, BAD_ARGUMENT: 4, EPERM: 5 },
  },
} as const;

export type ErrorTypeName = keyof typeof ERROR_TABLE | 'EXPERIMENTER';
export type StandardErrorTypeName = keyof typeof ERROR_TABLE;
export type ErrorCodeName<T extends StandardErrorTypeName> = keyof (typeof ERROR_TABLE)[T]['codes'] & string;

/** OFPET_EXPERIMENTER: the error carries exp_type and an experimenter id instead of a code. */
export const OFPET_EXPERIMENTER = 0xffff;

/** ofp_error_type: name → number. */
export const OFPET = {
  ...(Object.fromEntries(Object.entries(ERROR_TABLE).map(([k, v]) => [k, v.type])) as {
    [K in StandardErrorTypeName]: (typeof ERROR_TABLE)[K]['type'];
  }),
  EXPERIMENTER: OFPET_EXPERIMENTER,
} as const;

// The per-type code enums under the spec's own prefixes, for the connection layer.
export const OFPHFC = ERROR_TABLE.HELLO_FAILED.codes;
export const OFPBRC = ERROR_TABLE.BAD_REQUEST.codes;
export const OFPBAC = ERROR_TABLE.BAD_ACTION.codes;
export const OFPBIC = ERROR_TABLE.BAD_INSTRUCTION.codes;
export const OFPBMC = ERROR_TABLE.BAD_MATCH.codes;
export const OFPFMFC = ERROR_TABLE.FLOW_MOD_FAILED.codes;
export const OFPGMFC = ERROR_TABLE.GROUP_MOD_FAILED.codes;
export const OFPPMFC = ERROR_TABLE.PORT_MOD_FAILED.codes;
export const OFPTMFC = ERROR_TABLE.TABLE_MOD_FAILED.codes;
export const OFPQOFC = ERROR_TABLE.QUEUE_OP_FAILED.codes;
export const OFPSCFC = ERROR_TABLE.SWITCH_CONFIG_FAILED.codes;
export const OFPRRFC = ERROR_TABLE.ROLE_REQUEST_FAILED.codes;
export const OFPMMFC = ERROR_TABLE.METER_MOD_FAILED.codes;
export const OFPTFFC = ERROR_TABLE.TABLE_FEATURES_FAILED.codes;

interface TypeEntry {
  name: StandardErrorTypeName;
  codes: Map<number, string>;
}
const BY_TYPE = new Map<number, TypeEntry>(
  (Object.keys(ERROR_TABLE) as StandardErrorTypeName[]).map((name) => {
    const t = ERROR_TABLE[name];
    const codes = new Map<number, string>(Object.entries(t.codes).map(([k, v]) => [v as number, k]));
    return [t.type, { name, codes }];
  }),
);

export function errorTypeName(type: number): ErrorTypeName | undefined {
  return type === OFPET_EXPERIMENTER ? 'EXPERIMENTER' : BY_TYPE.get(type)?.name;
}

export function errorCodeName(type: number, code: number): string | undefined {
  return BY_TYPE.get(type)?.codes.get(code);
}

/** Numbers for a named error; throws for a name pair that is not in the table. */
export function errorNumbers<T extends StandardErrorTypeName>(type: T, code: ErrorCodeName<T>): { error_type: number; code: number } {
  const t = ERROR_TABLE[type];
  const c = (t?.codes as Record<string, number> | undefined)?.[code];
  if (c === undefined) throw new RangeError(`unknown OpenFlow error ${String(type)}/${String(code)}`);
  return { error_type: t.type, code: c };
}
