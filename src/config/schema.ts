/**
 * The YAML config file's JSON schema (ajv). Every object is closed (additionalProperties:
 * false) so a misspelt key is an error, not a silently ignored setting. Durations are in
 * seconds, as on the command line. config/ofstats.example.yaml documents every key.
 */

/** Config names of the stat types (kebab-case) → multipart names. */
export const STAT_NAMES = {
  flow: 'FLOW',
  table: 'TABLE',
  port: 'PORT_STATS',
  meter: 'METER',
  group: 'GROUP',
  'meter-config': 'METER_CONFIG',
  'group-desc': 'GROUP_DESC',
  'port-desc': 'PORT_DESC',
  desc: 'DESC',
} as const;
export type StatName = keyof typeof STAT_NAMES;

import { INFLUX_SCHEMA, type InfluxFileConfig } from './influx-schema.js';

const seconds = { type: 'number', minimum: 0 } as const;
const positiveSeconds = { type: 'number', exclusiveMinimum: 0 } as const;
const positiveInt = { type: 'integer', minimum: 1 } as const;
const statNames = Object.keys(STAT_NAMES);

const intervals = {
  type: 'object',
  additionalProperties: false,
  // 0 switches a stat type off.
  properties: Object.fromEntries([['default', seconds], ...statNames.map((n) => [n, seconds])]),
} as const;

const stats = { type: 'array', items: { enum: statNames }, uniqueItems: true } as const;
const role = { enum: ['slave', 'equal', 'nochange'] } as const;
const sink = {
  type: 'object',
  additionalProperties: false,
  required: ['type'],
  properties: {
    type: { enum: ['stdout'] },
    format: { enum: ['line', 'json'] },
  },
} as const;

export const CONFIG_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  properties: {
    listen: { type: 'array', items: { type: ['string', 'integer'] } },
    connect: { type: 'array', items: { type: 'string', minLength: 1 } },
    tls: {
      type: 'object',
      additionalProperties: false,
      required: ['cert', 'key', 'ca'],
      properties: { cert: { type: 'string' }, key: { type: 'string' }, ca: { type: 'string' } },
    },
    role,
    metricPrefix: { type: 'string', pattern: '^[^\\s,]*$' },
    output: { enum: ['line', 'json'] },
    sinks: { type: 'array', items: sink, minItems: 1 },
    influx: INFLUX_SCHEMA,
    registry: { type: 'object', additionalProperties: false, required: ['file'], properties: { file: { type: 'string', minLength: 1 } } },
    logLevel: { enum: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] },
    intervals,
    stats,
    limits: {
      type: 'object',
      additionalProperties: false,
      properties: {
        requestsPerSecond: positiveInt,
        requestsInFlight: positiveInt,
        outstandingPerSwitch: positiveInt,
        queuedPerSwitch: { type: 'integer', minimum: 0 },
        requestTimeout: positiveSeconds,
        maxSlowdown: positiveInt,
        maxConnections: positiveInt,
        maxSeries: { type: 'integer', minimum: 0 },
      },
    },
    connection: {
      type: 'object',
      additionalProperties: false,
      properties: {
        echoInterval: positiveSeconds,
        echoMisses: positiveInt,
        handshakeTimeout: positiveSeconds,
        connectTimeout: positiveSeconds,
        backoffMin: positiveSeconds,
        backoffMax: positiveSeconds,
      },
    },
    shutdownGrace: seconds,
    selfMetricsInterval: seconds,
    switches: {
      type: 'object',
      // Datapath ids: 16 hex digits, 0x-prefixed hex, colon-separated bytes or SW + 16 hex digits.
      propertyNames: { pattern: '^((0x)?[0-9a-fA-F]{1,16}|([0-9a-fA-F]{2}:){7}[0-9a-fA-F]{2}|SW[0-9a-fA-F]{16})$' },
      additionalProperties: {
        type: 'object',
        additionalProperties: false,
        properties: { intervals, stats, role },
      },
    },
  },
} as const;

/** The file's shape once the schema has accepted it. */
export interface IntervalsConfig extends Partial<Record<StatName | 'default', number>> {}
export interface SwitchConfig {
  intervals?: IntervalsConfig;
  stats?: StatName[];
  role?: 'slave' | 'equal' | 'nochange';
}
export interface FileConfig {
  listen?: (string | number)[];
  connect?: string[];
  tls?: { cert: string; key: string; ca: string };
  role?: 'slave' | 'equal' | 'nochange';
  metricPrefix?: string;
  output?: 'line' | 'json';
  sinks?: { type: 'stdout'; format?: 'line' | 'json' }[];
  influx?: InfluxFileConfig;
  /** The flow registry file (README "Flow registry"). */
  registry?: { file: string };
  logLevel?: string;
  intervals?: IntervalsConfig;
  stats?: StatName[];
  limits?: {
    requestsPerSecond?: number;
    requestsInFlight?: number;
    outstandingPerSwitch?: number;
    queuedPerSwitch?: number;
    requestTimeout?: number;
    maxSlowdown?: number;
    maxConnections?: number;
    /** Rules, meters, groups, ports and tables remembered between polls, over all switches. */
    maxSeries?: number;
  };
  connection?: {
    echoInterval?: number;
    echoMisses?: number;
    handshakeTimeout?: number;
    connectTimeout?: number;
    backoffMin?: number;
    backoffMax?: number;
  };
  shutdownGrace?: number;
  selfMetricsInterval?: number;
  switches?: Record<string, SwitchConfig>;
}
