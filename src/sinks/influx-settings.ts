/** What the InfluxDB sink is built with (the config layer resolves it from flags and file). */

export const INFLUX_PRECISIONS = ['n', 'u', 'ms', 's'] as const;
export type InfluxPrecision = (typeof INFLUX_PRECISIONS)[number];

export interface InfluxSettings {
  /** protocol://host:port, never with credentials (it is logged). */
  url: string;
  database: string;
  username?: string;
  password?: string;
  retentionPolicy?: string;
  precision: InfluxPrecision;
  createDatabase: boolean;
  batchSize: number;
  flushIntervalMs: number;
  /** Points held at most, the batch being sent included. */
  bufferSize: number;
  backoffMinMs: number;
  backoffMaxMs: number;
  requestTimeoutMs: number;
  /** How long close() may keep trying before it gives up on what is left. */
  closeTimeoutMs: number;
}
