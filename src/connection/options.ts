import type { Log } from '../transport/link.js';
import type { TlsFiles } from '../transport/tls.js';
import type { ConnectionSettings, RoleMode } from './switch-connection.js';

/** Everything the connection layer can be told, as a plain object (the config layer fills it). */
export interface SwitchManagerOptions {
  /** `[tcp:|ssl:][HOST:]PORT`, e.g. `6653`, `127.0.0.1:6653`, `ssl:0.0.0.0:6654`. */
  listen?: string[];
  /** `tcp:HOST:PORT`, `ssl:HOST:PORT`, `unix:PATH` (e.g. an OVS bridge's `BRIDGE.mgmt` socket). */
  connect?: string[];
  /** Needed for any ssl: address; the CA verifies the switch's certificate as OVS does. */
  tls?: TlsFiles;
  role?: RoleMode;
  /** Per-switch role by datapath id (config overrides); `role` where it returns undefined. */
  roleFor?: (dpid: bigint) => RoleMode | undefined;
  echoIntervalMs?: number;
  /** Echo requests left unanswered in a row before the connection is dropped. */
  echoMisses?: number;
  handshakeTimeoutMs?: number;
  requestTimeoutMs?: number;
  /** Requests at one switch at once (default 1: a weak switch CPU answers one at a time). */
  maxOutstanding?: number;
  /** Requests waiting for a slot per switch; beyond it they are refused. */
  maxQueued?: number;
  roleRetries?: number;
  backoffMinMs?: number;
  backoffMaxMs?: number;
  connectTimeoutMs?: number;
  /** Accepted connections per listener at once. */
  maxConnections?: number;
  /** A pino logger (JSON to stderr); child loggers carry peer and switchId. */
  logger: Log;
}

export type ResolvedOptions = Required<Omit<SwitchManagerOptions, 'tls' | 'roleFor'>> & { tls?: TlsFiles } & ConnectionSettings;

export const DEFAULTS = {
  listen: [] as string[],
  connect: [] as string[],
  role: 'slave' as RoleMode,
  echoIntervalMs: 5_000,
  echoMisses: 3,
  handshakeTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  maxOutstanding: 1,
  maxQueued: 256,
  roleRetries: 3,
  backoffMinMs: 500,
  backoffMaxMs: 30_000,
  connectTimeoutMs: 10_000,
  maxConnections: 4096,
};

const POSITIVE_INTS = [
  'echoIntervalMs', 'echoMisses', 'handshakeTimeoutMs', 'requestTimeoutMs', 'maxOutstanding',
  'roleRetries', 'backoffMinMs', 'backoffMaxMs', 'connectTimeoutMs', 'maxConnections',
] as const;

export function resolveOptions(o: SwitchManagerOptions): ResolvedOptions {
  const defined = Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
  const r = { ...DEFAULTS, ...defined } as ResolvedOptions;
  for (const k of POSITIVE_INTS) {
    if (!Number.isInteger(r[k]) || r[k] < 1) throw new RangeError(`connection option ${k} must be a positive integer (got ${String(r[k])})`);
  }
  if (!Number.isInteger(r.maxQueued) || r.maxQueued < 0) throw new RangeError(`connection option maxQueued must be >= 0`);
  if (r.backoffMaxMs < r.backoffMinMs) throw new RangeError('backoffMaxMs must be >= backoffMinMs');
  if (!['slave', 'equal', 'nochange'].includes(r.role)) throw new RangeError(`role must be slave, equal or nochange (got ${String(r.role)})`);
  return r;
}
