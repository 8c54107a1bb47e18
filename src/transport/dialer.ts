import { EventEmitter } from 'node:events';
import net from 'node:net';
import tls from 'node:tls';
import { Backoff } from './backoff.js';
import { remoteOf, tuneSocket, type Link, type Log } from './link.js';
import type { DialTarget } from './target.js';
import { clientTlsOptions, type TlsMaterial } from './tls.js';

export interface DialerOptions {
  target: DialTarget;
  tls?: TlsMaterial;
  backoffMinMs: number;
  backoffMaxMs: number;
  /** A link that lived this long resets the backoff; shorter ones (refused by the peer) do not. */
  stableMs: number;
  connectTimeoutMs: number;
  log: Log;
  random?: () => number;
}

/**
 * Keeps one link to one target: dials, hands the link up ('link' event), and when the link
 * closes (whoever closed it) dials again after an exponential backoff with jitter.
 */
export class Dialer extends EventEmitter {
  private readonly backoff: Backoff;
  private readonly log: Log;
  private timer: NodeJS.Timeout | undefined;
  private socket: net.Socket | undefined;
  private stopped = true;

  constructor(private readonly opts: DialerOptions) {
    super();
    if (opts.target.kind === 'ssl' && !opts.tls) {
      throw new Error(`target ${opts.target.text} needs TLS certificate, key and CA`);
    }
    this.backoff = new Backoff({ minMs: opts.backoffMinMs, maxMs: opts.backoffMaxMs, random: opts.random });
    this.log = opts.log.child({ target: opts.target.text });
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.dial();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.socket?.destroy();
    this.socket = undefined;
  }

  private dial(): void {
    if (this.stopped) return;
    const t = this.opts.target;
    let s: net.Socket;
    let readyEvent: string;
    if (t.kind === 'unix') {
      s = net.connect({ path: t.path });
      readyEvent = 'connect';
    } else if (t.kind === 'tcp') {
      s = net.connect({ host: t.host, port: t.port });
      readyEvent = 'connect';
    } else {
      s = tls.connect({ host: t.host, port: t.port, ...clientTlsOptions(this.opts.tls!) });
      readyEvent = 'secureConnect';
    }
    this.socket = s;
    let connectedAt = 0;
    let lastError: string | undefined;
    s.setTimeout(this.opts.connectTimeoutMs, () => {
      if (!connectedAt) s.destroy(new Error(`connect timed out after ${this.opts.connectTimeoutMs} ms`));
    });
    s.on('error', (e) => {
      lastError = e.message;
    });
    s.once(readyEvent, () => {
      connectedAt = Date.now();
      s.setTimeout(0);
      tuneSocket(s);
      const peer = t.kind === 'unix' ? `unix:${t.path}` : remoteOf(t.kind, s);
      this.log.info({ peer }, 'connected to switch');
      const link: Link = { socket: s, peer, origin: 'dial', via: t.text };
      this.emit('link', link);
    });
    s.once('close', () => {
      if (this.socket === s) this.socket = undefined;
      if (this.stopped) return;
      if (connectedAt && Date.now() - connectedAt >= this.opts.stableMs) this.backoff.reset();
      const delay = this.backoff.next();
      const msg = connectedAt ? 'connection to switch closed; redialing' : 'cannot connect to switch; retrying';
      this.log.info({ err: lastError, retryInMs: delay, attempt: this.backoff.attempts }, msg);
      this.timer = setTimeout(() => {
        this.timer = undefined;
        this.dial();
      }, delay);
    });
  }
}
