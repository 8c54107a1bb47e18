/**
 * Address syntax, as Open vSwitch spells its controller targets: `tcp:HOST:PORT`,
 * `ssl:HOST:PORT`, `unix:PATH` to dial; `[tcp:|ssl:][HOST:]PORT` to listen.
 */

export type DialTarget =
  | { kind: 'tcp' | 'ssl'; host: string; port: number; text: string }
  | { kind: 'unix'; path: string; text: string };

export interface ListenAddress {
  tls: boolean;
  /** Undefined: every interface, as net.Server.listen does without a host. */
  host: string | undefined;
  port: number;
  text: string;
}

export const DEFAULT_OPENFLOW_PORT = 6653;

export class AddressError extends Error {
  override readonly name = 'AddressError';
}

function parsePort(s: string, whole: string): number {
  if (!/^\d{1,5}$/.test(s)) throw new AddressError(`bad port "${s}" in "${whole}"`);
  const n = Number(s);
  if (n > 65535) throw new AddressError(`port ${n} out of range in "${whole}"`);
  return n;
}

/** Split `HOST:PORT`, where HOST may be `[v6]` or a bare v6 address (the last colon wins). */
function splitHostPort(s: string, whole: string): { host: string; port: number } {
  const bracket = /^\[([^\]]+)\]:(\d+)$/.exec(s);
  if (bracket) return { host: bracket[1]!, port: parsePort(bracket[2]!, whole) };
  const i = s.lastIndexOf(':');
  if (i <= 0) throw new AddressError(`expected HOST:PORT in "${whole}"`);
  return { host: s.slice(0, i), port: parsePort(s.slice(i + 1), whole) };
}

export function parseDialTarget(text: string): DialTarget {
  const m = /^(tcp|ssl|unix):(.+)$/.exec(text.trim());
  if (!m) throw new AddressError(`target "${text}" must be tcp:HOST:PORT, ssl:HOST:PORT or unix:PATH`);
  const kind = m[1] as 'tcp' | 'ssl' | 'unix';
  if (kind === 'unix') return { kind, path: m[2]!, text };
  const { host, port } = splitHostPort(m[2]!, text);
  if (port === 0) throw new AddressError(`cannot dial port 0 in "${text}"`);
  return { kind, host, port, text };
}

export function parseListenAddress(text: string): ListenAddress {
  let rest = text.trim();
  let tls = false;
  const m = /^(tcp|ssl):(.*)$/.exec(rest);
  if (m) {
    tls = m[1] === 'ssl';
    rest = m[2]!;
  }
  if (/^\d+$/.test(rest)) return { tls, host: undefined, port: parsePort(rest, text), text };
  const { host, port } = splitHostPort(rest, text);
  return { tls, host, port, text };
}
