import { EventEmitter } from 'node:events';
import net from 'node:net';
import tls from 'node:tls';
import { remoteOf, tuneSocket, type Link, type Log } from './link.js';
import type { ListenAddress } from './target.js';
import { serverTlsOptions, type TlsMaterial } from './tls.js';

export interface ListenerOptions {
  address: ListenAddress;
  tls?: TlsMaterial;
  /** Refuse connections beyond this many at once (a bound on sockets, hence memory). */
  maxConnections: number;
  log: Log;
}

/**
 * Accepts switches that dial us, on one address. Emits 'link' (Link) for each connection,
 * after the TLS handshake and peer verification for ssl: addresses.
 */
export class Listener extends EventEmitter {
  private readonly server: net.Server;
  private readonly log: Log;
  private readonly kind: 'tcp' | 'ssl';

  constructor(private readonly opts: ListenerOptions) {
    super();
    this.kind = opts.address.tls ? 'ssl' : 'tcp';
    this.log = opts.log.child({ listen: opts.address.text });
    if (opts.address.tls) {
      if (!opts.tls) throw new Error(`listen address ${opts.address.text} needs TLS certificate, key and CA`);
      const server = tls.createServer(serverTlsOptions(opts.tls), (s) => this.accept(s));
      server.on('tlsClientError', (err, s) => {
        // A peer whose certificate does not chain to our CA never reaches the connection layer.
        this.log.warn({ peer: remoteOf('ssl', s), err: err.message }, 'TLS handshake with peer failed');
      });
      this.server = server;
    } else {
      this.server = net.createServer((s) => this.accept(s));
    }
    this.server.maxConnections = opts.maxConnections;
  }

  private accept(s: net.Socket): void {
    tuneSocket(s);
    const link: Link = { socket: s, peer: remoteOf(this.kind, s), origin: 'listen', via: this.opts.address.text };
    this.log.debug({ peer: link.peer }, 'accepted connection');
    this.emit('link', link);
  }

  start(): Promise<void> {
    return new Promise((resolve, reject) => {
      const onError = (e: Error): void => reject(new Error(`cannot listen on ${this.opts.address.text}: ${e.message}`));
      this.server.once('error', onError);
      this.server.listen({ host: this.opts.address.host, port: this.opts.address.port }, () => {
        this.server.off('error', onError);
        this.server.on('error', (e) => this.log.error({ err: e.message }, 'listener error'));
        this.log.info({ port: this.port }, 'listening for switches');
        resolve();
      });
    });
  }

  /** The bound port (useful with port 0). */
  get port(): number {
    const a = this.server.address();
    return a && typeof a === 'object' ? a.port : this.opts.address.port;
  }

  /** Stop accepting; established links belong to whoever took them and are not closed here. */
  stop(): Promise<void> {
    return new Promise((resolve) => {
      if (!this.server.listening) return resolve();
      this.server.close(() => resolve());
    });
  }
}
