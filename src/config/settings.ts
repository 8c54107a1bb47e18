/**
 * The effective settings of `ofstats run`: built-in defaults, then the config file, then the
 * command-line flags (flags win). Durations become milliseconds here and nowhere else.
 */
import { DEFAULT_INTERVALS_MS, STAT_TYPES, type IntervalsMs, type StatType } from '../scheduler/types.js';
import { influxSettings, type InfluxSettings } from './influx.js';
import { ConfigError } from './load.js';
import { STAT_NAMES, type FileConfig, type IntervalsConfig, type StatName, type SwitchConfig } from './schema.js';

export type Role = 'slave' | 'equal' | 'nochange';
export type OutputFormat = 'line' | 'json';
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** What the command line gives (commander's parsed options). */
export interface Flags {
  config?: string;
  listen?: string[];
  connect?: string[];
  interval?: string;
  metricPrefix?: string;
  output?: string;
  /** http://[user:pass@]HOST:PORT/DATABASE */
  influx?: string;
  registry?: string;
  once?: boolean;
  wait?: string;
  logLevel?: string;
}

export interface Settings {
  listen: string[];
  connect: string[];
  tls?: { cert: string; key: string; ca: string };
  role: Role;
  metricPrefix: string;
  sinks: { type: 'stdout'; format: OutputFormat }[];
  /** The InfluxDB sink, beside the stdout sinks; undefined when not asked for. */
  influx?: InfluxSettings;
  /** The flow registry file, re-read on change and SIGHUP. */
  registry?: { file: string };
  logLevel: string;
  limits: {
    requestsPerSecond: number;
    requestsInFlight: number;
    outstandingPerSwitch: number;
    queuedPerSwitch: number;
    requestTimeoutMs: number;
    maxSlowdown: number;
    maxConnections: number;
    /**
     * Stats entries (a rule, meter, group, port, table) remembered between polls for reset
     * detection and reused tags; past it, entries are still written but mapped from scratch.
     */
    maxSeries: number;
  };
  connection: {
    echoIntervalMs: number;
    echoMisses: number;
    handshakeTimeoutMs: number;
    connectTimeoutMs: number;
    backoffMinMs: number;
    backoffMaxMs: number;
  };
  shutdownGraceMs: number;
  selfMetricsIntervalMs: number;
  once: boolean;
  waitMs: number;
  /** Stat types to poll on this switch and their intervals (ms). */
  intervalsFor(dpid: bigint): IntervalsMs;
  /** The role the config asks for on this switch. */
  roleFor(dpid: bigint): Role;
}

/** Where ofstats listens when neither listen nor connect is given: OpenFlow's IANA port. */
export const DEFAULT_LISTEN = ['6653'] as const;

export const DEFAULTS = {
  role: 'slave' as Role,
  logLevel: 'info',
  limits: {
    requestsPerSecond: 50,
    requestsInFlight: 16,
    outstandingPerSwitch: 1,
    queuedPerSwitch: 32,
    requestTimeout: 30,
    maxSlowdown: 32,
    maxConnections: 4096,
    // 1,000 switches x 1,000 rules with room to spare; ~0.9 KB of live heap per flow rule.
    maxSeries: 2_000_000,
  },
  connection: { echoInterval: 5, echoMisses: 3, handshakeTimeout: 10, connectTimeout: 10, backoffMin: 0.5, backoffMax: 30 },
  shutdownGrace: 10,
  selfMetricsInterval: 10,
  wait: 5,
};

/** A datapath id as the config spells it → bigint. */
export function parseDpid(text: string): bigint {
  const t = text.trim();
  const hex = t.startsWith('SW') ? t.slice(2) : t.startsWith('0x') ? t.slice(2) : t.replace(/:/g, '');
  if (!/^[0-9a-fA-F]{1,16}$/.test(hex)) throw new ConfigError(`"${text}" is not a datapath id`);
  return BigInt('0x' + hex);
}

function seconds(flag: string, v: string | undefined, min: number): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || n < min || v.trim() === '') {
    throw new ConfigError(`option ${flag}: "${v}" is not a number of seconds${min > 0 ? ' above 0' : ''}`);
  }
  return n;
}

function oneOf<T extends string>(flag: string, v: string | undefined, allowed: readonly T[]): T | undefined {
  if (v === undefined) return undefined;
  if (!allowed.includes(v as T)) throw new ConfigError(`option ${flag}: "${v}" must be one of ${allowed.join(', ')}`);
  return v as T;
}

/** Interval (ms) per enabled stat type: the most specific setting wins. */
function intervalTable(layers: (IntervalsConfig | undefined)[], enabled: readonly StatName[]): IntervalsMs {
  const out: IntervalsMs = {};
  for (const name of enabled) {
    const type: StatType = STAT_NAMES[name];
    let sec: number | undefined;
    for (const l of layers) {
      sec = l?.[name] ?? l?.default;
      if (sec !== undefined) break;
    }
    const ms = sec === undefined ? DEFAULT_INTERVALS_MS[type] : Math.round(sec * 1000);
    if (ms > 0) out[type] = ms;
  }
  return out;
}

export function buildSettings(file: FileConfig, flags: Flags): Settings {
  const intervalFlag = seconds('--interval', flags.interval, 0);
  if (intervalFlag === 0) throw new ConfigError('option --interval: must be above 0');
  const waitSec = seconds('--wait', flags.wait, 0);
  const output = oneOf('--output', flags.output, ['line', 'json', 'none'] as const);
  const logLevel = oneOf('--log-level', flags.logLevel, LOG_LEVELS);
  if (flags.wait !== undefined && !flags.once) throw new ConfigError('option --wait: only makes sense with --once');

  // --interval replaces the file's global intervals: every stat type at that interval.
  const globalIntervals: IntervalsConfig | undefined = intervalFlag !== undefined ? { default: intervalFlag } : file.intervals;
  const globalStats = file.stats ?? (Object.keys(STAT_NAMES) as StatName[]);
  const role = file.role ?? DEFAULTS.role;

  const perSwitch = new Map<bigint, SwitchConfig>();
  for (const [key, sw] of Object.entries(file.switches ?? {})) {
    const dpid = parseDpid(key);
    if (perSwitch.has(dpid)) throw new ConfigError(`config: switches.${key}: the same datapath id is configured twice`);
    perSwitch.set(dpid, sw);
  }

  const limits = { ...DEFAULTS.limits, ...file.limits };
  const conn = { ...DEFAULTS.connection, ...file.connection };
  if (conn.backoffMax < conn.backoffMin) throw new ConfigError('config: connection.backoffMax: must be >= connection.backoffMin');
  const format = output ?? file.output ?? 'line';
  // --output none: no stdout sink (say, InfluxDB only).
  const sinks = format === 'none' ? []
    : output !== undefined || !file.sinks
      ? [{ type: 'stdout' as const, format }]
      : file.sinks.map((s) => ({ type: s.type, format: s.format ?? 'line' }));

  const connect = flags.connect?.length ? flags.connect : (file.connect ?? []);
  let listen = flags.listen?.length ? flags.listen : (file.listen ?? []).map(String);
  // Told nothing about where switches are: be a controller on the standard OpenFlow port.
  if (listen.length === 0 && connect.length === 0) listen = [...DEFAULT_LISTEN];
  return {
    listen,
    connect,
    tls: file.tls,
    role,
    metricPrefix: flags.metricPrefix ?? file.metricPrefix ?? '',
    sinks,
    influx: influxSettings(file.influx, flags.influx),
    registry: flags.registry !== undefined ? { file: flags.registry } : file.registry,
    logLevel: logLevel ?? file.logLevel ?? DEFAULTS.logLevel,
    limits: {
      requestsPerSecond: limits.requestsPerSecond,
      requestsInFlight: limits.requestsInFlight,
      outstandingPerSwitch: limits.outstandingPerSwitch,
      queuedPerSwitch: limits.queuedPerSwitch,
      requestTimeoutMs: Math.round(limits.requestTimeout * 1000),
      maxSlowdown: limits.maxSlowdown,
      maxConnections: limits.maxConnections,
      maxSeries: limits.maxSeries,
    },
    connection: {
      echoIntervalMs: Math.round(conn.echoInterval * 1000),
      echoMisses: conn.echoMisses,
      handshakeTimeoutMs: Math.round(conn.handshakeTimeout * 1000),
      connectTimeoutMs: Math.round(conn.connectTimeout * 1000),
      backoffMinMs: Math.round(conn.backoffMin * 1000),
      backoffMaxMs: Math.round(conn.backoffMax * 1000),
    },
    shutdownGraceMs: Math.round((file.shutdownGrace ?? DEFAULTS.shutdownGrace) * 1000),
    selfMetricsIntervalMs: Math.round((file.selfMetricsInterval ?? DEFAULTS.selfMetricsInterval) * 1000),
    once: flags.once === true,
    waitMs: Math.round((waitSec ?? DEFAULTS.wait) * 1000),
    intervalsFor(dpid) {
      const sw = perSwitch.get(dpid);
      return intervalTable([sw?.intervals, globalIntervals], sw?.stats ?? globalStats);
    },
    roleFor(dpid) {
      return perSwitch.get(dpid)?.role ?? role;
    },
  };
}

/** Every stat type, for `--once`. */
export const ALL_STAT_TYPES: readonly StatType[] = STAT_TYPES;
