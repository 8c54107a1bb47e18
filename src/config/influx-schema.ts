/**
 * The config file's `influx` section: its JSON schema fragment (merged into CONFIG_SCHEMA) and
 * its shape. Kept apart from influx.ts so the schema module imports no config code.
 * Durations are in seconds, as everywhere in the config.
 */
import { INFLUX_PRECISIONS, type InfluxPrecision } from '../sinks/influx-settings.js';

const positiveSeconds = { type: 'number', exclusiveMinimum: 0 } as const;
const positiveInt = { type: 'integer', minimum: 1 } as const;


export const INFLUX_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  properties: {
    url: { type: 'string', minLength: 1 },
    protocol: { enum: ['http', 'https'] },
    host: { type: 'string', minLength: 1 },
    port: { type: 'integer', minimum: 1, maximum: 65535 },
    database: { type: 'string', minLength: 1 },
    username: { type: 'string' },
    password: { type: 'string' },
    retentionPolicy: { type: 'string', minLength: 1 },
    precision: { enum: INFLUX_PRECISIONS },
    createDatabase: { type: 'boolean' },
    batchSize: positiveInt,
    flushInterval: positiveSeconds,
    bufferSize: { type: 'integer', minimum: 2 },
    backoffMin: positiveSeconds,
    backoffMax: positiveSeconds,
    requestTimeout: positiveSeconds,
    closeTimeout: { type: 'number', minimum: 0 },
  },
} as const;

export interface InfluxFileConfig {
  url?: string;
  protocol?: 'http' | 'https';
  host?: string;
  port?: number;
  database?: string;
  username?: string;
  password?: string;
  retentionPolicy?: string;
  precision?: InfluxPrecision;
  createDatabase?: boolean;
  batchSize?: number;
  flushInterval?: number;
  bufferSize?: number;
  backoffMin?: number;
  backoffMax?: number;
  requestTimeout?: number;
  closeTimeout?: number;
}
