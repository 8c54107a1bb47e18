/**
 * `--influx URL` and the config's `influx` section → the InfluxDB sink's settings.
 * Precedence: defaults, then the section's `url`, then its explicit keys, then the flag's URL
 * (only the parts it spells out: a flag without credentials keeps the file's, so passwords
 * can stay out of the process list).
 */
import { ConfigError } from './load.js';
import type { InfluxFileConfig } from './influx-schema.js';
import type { InfluxPrecision, InfluxSettings } from '../sinks/influx-settings.js';

export type { InfluxSettings };


export const INFLUX_DEFAULTS = {
  port: 8086,
  precision: 'ms' as InfluxPrecision,
  createDatabase: false,
  batchSize: 5000,
  flushInterval: 1,
  bufferSize: 100_000,
  backoffMin: 0.5,
  backoffMax: 30,
  requestTimeout: 10,
  closeTimeout: 10,
};

interface Endpoint {
  protocol?: 'http' | 'https';
  host?: string;
  port?: number;
  database?: string;
  username?: string;
  password?: string;
}

/** `http://[user:pass@]HOST[:PORT]/DB`, percent-escapes decoded. */
export function parseInfluxUrl(text: string, where: string): Endpoint {
  let u: URL;
  try {
    u = new URL(text);
  } catch {
    throw new ConfigError(`${where}: "${redact(text)}" is not a URL (http://[user:pass@]HOST:PORT/DATABASE)`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') {
    throw new ConfigError(`${where}: "${u.protocol}" is not http: or https:`);
  }
  if (u.search || u.hash) throw new ConfigError(`${where}: no query or fragment expected in "${redact(text)}"`);
  const path = u.pathname.replace(/^\//, '');
  if (path.includes('/')) throw new ConfigError(`${where}: the path must be just the database name, got "/${path}"`);
  const dec = (s: string, what: string): string => {
    try {
      return decodeURIComponent(s);
    } catch {
      throw new ConfigError(`${where}: the ${what} has a bad percent-escape`);
    }
  };
  const out: Endpoint = { protocol: u.protocol === 'https:' ? 'https' : 'http', host: u.hostname };
  if (u.port) out.port = Number(u.port);
  if (path) out.database = dec(path, 'database name');
  if (u.username) out.username = dec(u.username, 'user name');
  if (u.password) out.password = dec(u.password, 'password');
  return out;
}

function redact(text: string): string {
  return text.replace(/\/\/[^@/]*@/, '//***@');
}

/** undefined when neither the flag nor the section asks for InfluxDB. */
export function influxSettings(file: InfluxFileConfig | undefined, flagUrl: string | undefined): InfluxSettings | undefined {
  if (file === undefined && flagUrl === undefined) return undefined;
  const f = file ?? {};
  const fromFileUrl = f.url !== undefined ? parseInfluxUrl(f.url, 'config: influx.url') : {};
  const explicit: Endpoint = { protocol: f.protocol, host: f.host, port: f.port, database: f.database, username: f.username, password: f.password };
  const fromFlag = flagUrl !== undefined ? parseInfluxUrl(flagUrl, 'option --influx') : {};
  const ep: Endpoint = { ...fromFileUrl };
  for (const layer of [explicit, fromFlag]) {
    for (const [k, v] of Object.entries(layer)) if (v !== undefined) (ep as Record<string, unknown>)[k] = v;
  }
  if (!ep.host) throw new ConfigError('config: influx: needs url or host (or give --influx http://HOST:PORT/DATABASE)');
  if (!ep.database) throw new ConfigError('config: influx: needs a database (influx.database or the URL path)');

  const d = INFLUX_DEFAULTS;
  const backoffMin = f.backoffMin ?? d.backoffMin;
  const backoffMax = f.backoffMax ?? Math.max(d.backoffMax, backoffMin);
  if (backoffMax < backoffMin) throw new ConfigError('config: influx.backoffMax: must be >= influx.backoffMin');
  const bufferSize = f.bufferSize ?? d.bufferSize;
  const batchSize = f.batchSize ?? Math.min(d.batchSize, Math.floor(bufferSize / 2));
  // The batch being sent stays in the buffer until InfluxDB accepts it; new points need room beside it.
  if (batchSize >= bufferSize) throw new ConfigError(`config: influx.batchSize: must be below influx.bufferSize (${bufferSize})`);
  const host = ep.host.includes(':') && !ep.host.startsWith('[') ? `[${ep.host}]` : ep.host;
  return {
    url: `${ep.protocol ?? 'http'}://${host}:${ep.port ?? d.port}`,
    database: ep.database,
    username: ep.username,
    password: ep.password,
    retentionPolicy: f.retentionPolicy,
    precision: f.precision ?? d.precision,
    createDatabase: f.createDatabase ?? d.createDatabase,
    batchSize,
    flushIntervalMs: Math.round((f.flushInterval ?? d.flushInterval) * 1000),
    bufferSize,
    backoffMinMs: Math.max(1, Math.round(backoffMin * 1000)),
    backoffMaxMs: Math.max(1, Math.round(backoffMax * 1000)),
    requestTimeoutMs: Math.max(1, Math.round((f.requestTimeout ?? d.requestTimeout) * 1000)),
    closeTimeoutMs: Math.round((f.closeTimeout ?? d.closeTimeout) * 1000),
  };
}
