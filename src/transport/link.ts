import type { Socket } from 'node:net';

/** One established byte stream to a switch, handed upward by a listener or a dialer. */
export interface Link {
  /** A TLSSocket for ssl: links (already past its handshake and peer verification). */
  socket: Socket;
  /** `tcp:ADDR:PORT`, `ssl:ADDR:PORT` or `unix:PATH`: who is on the other end. */
  peer: string;
  origin: 'listen' | 'dial';
  /** The listen address or dial target text it came through. */
  via: string;
}

/** Minimal logger shape (pino's), so transport does not depend on one logging library. */
export interface Log {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
  child(bindings: object): Log;
}

export function remoteOf(kind: 'tcp' | 'ssl', s: Socket): string {
  const host = s.remoteAddress ?? '?';
  const h = host.includes(':') ? `[${host}]` : host;
  return `${kind}:${h}:${s.remotePort ?? '?'}`;
}

/** Settings every OpenFlow socket gets: requests are small and latency matters more than batching. */
export function tuneSocket(s: Socket): void {
  s.setNoDelay(true);
  s.setKeepAlive(true, 30_000);
}
