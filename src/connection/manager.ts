/**
 * The SwitchManager of src/connection/types.ts: listeners, dialers and the registry of
 * switches by datapath id.
 *
 * A second connection with a datapath id already connected REPLACES the first (the old one
 * is closed, its requests fail with 'disconnected', 'switch-down' then 'switch-up' are
 * emitted). Chosen deliberately: a switch that reconnects usually does so because its old
 * TCP session is dead in a way we have not noticed yet (half-open after a reboot or a
 * failover), so the newest connection is the live one; joining both would double-poll the
 * switch. Consequence: do not both dial a switch and let it dial us, or the two connections
 * will keep replacing each other.
 */
import { EventEmitter } from 'node:events';
import { Dialer } from '../transport/dialer.js';
import type { Link, Log } from '../transport/link.js';
import { Listener } from '../transport/listener.js';
import { parseDialTarget, parseListenAddress } from '../transport/target.js';
import { loadTls, type TlsMaterial } from '../transport/tls.js';
import type { ReadOnlyViolation } from './guard.js';
import { resolveOptions, type ResolvedOptions, type SwitchManagerOptions } from './options.js';
import { SwitchConnection } from './switch-connection.js';
import type { SwitchHandle, SwitchManager } from './types.js';

export class OfSwitchManager extends EventEmitter implements SwitchManager {
  private readonly opts: ResolvedOptions;
  private readonly log: Log;
  private readonly listenersList: Listener[] = [];
  private readonly dialers: Dialer[] = [];
  private readonly connections = new Set<SwitchConnection>();
  private readonly byDpid = new Map<bigint, SwitchConnection>();
  private started = false;
  /** Outbound messages the read-only guard refused (should stay 0). */
  refusedSends = 0;

  constructor(options: SwitchManagerOptions) {
    super();
    this.opts = resolveOptions(options);
    this.log = options.logger;
    // Parse now, so a bad address is reported before anything starts.
    this.opts.listen.forEach(parseListenAddress);
    this.opts.connect.forEach(parseDialTarget);
  }

  switches(): SwitchHandle[] {
    return [...this.byDpid.values()];
  }

  /** Bound ports of the listeners, in the order given (useful with port 0). */
  listeningPorts(): number[] {
    return this.listenersList.map((l) => l.port);
  }

  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    const listen = this.opts.listen.map(parseListenAddress);
    const connect = this.opts.connect.map(parseDialTarget);
    const needTls = listen.some((a) => a.tls) || connect.some((t) => t.kind === 'ssl');
    let tls: TlsMaterial | undefined;
    if (needTls) {
      if (!this.opts.tls) throw new Error('an ssl: address needs tls { cert, key, ca }');
      tls = await loadTls(this.opts.tls);
    }
    try {
      for (const address of listen) {
        const l = new Listener({ address, tls, maxConnections: this.opts.maxConnections, log: this.log });
        l.on('link', (link: Link) => this.adopt(link));
        this.listenersList.push(l);
        await l.start();
      }
    } catch (e) {
      await this.stop();
      throw e;
    }
    for (const target of connect) {
      const d = new Dialer({
        target, tls,
        backoffMinMs: this.opts.backoffMinMs,
        backoffMaxMs: this.opts.backoffMaxMs,
        stableMs: Math.min(10_000, this.opts.backoffMaxMs),
        connectTimeoutMs: this.opts.connectTimeoutMs,
        log: this.log,
      });
      d.on('link', (link: Link) => this.adopt(link));
      this.dialers.push(d);
      d.start();
    }
  }

  async stop(): Promise<void> {
    for (const d of this.dialers.splice(0)) d.stop();
    // server.close() completes only once its connections are gone: stop accepting first,
    // close the connections, then wait.
    const closing = this.listenersList.splice(0).map((l) => l.stop());
    for (const c of [...this.connections]) c.close('ofstats stopping');
    await Promise.all(closing);
    this.started = false;
  }

  private adopt(link: Link): void {
    const c = new SwitchConnection(link, this.opts, this.log);
    this.connections.add(c);
    c.on('decode-error', (info) => this.emit('decode-error', info));
    c.on('refused', (v: ReadOnlyViolation) => {
      this.refusedSends++;
      this.emit('send-refused', { switchId: c.switchId || undefined, peer: c.peer, reason: v.reason });
    });
    c.on('up', () => this.up(c));
    c.on('down', (reason: string) => {
      if (this.byDpid.get(c.dpid) === c) this.byDpid.delete(c.dpid);
      this.emit('switch-down', c, reason);
    });
    c.on('closed', () => this.connections.delete(c));
    c.start();
  }

  private up(c: SwitchConnection): void {
    const old = this.byDpid.get(c.dpid);
    if (old && old !== c) {
      this.log.warn({ switchId: c.switchId, oldPeer: old.peer, newPeer: c.peer },
        'second connection from the same datapath id: replacing the older one');
      old.close(`replaced by a newer connection from ${c.peer}`);
    }
    this.byDpid.set(c.dpid, c);
    this.emit('switch-up', c);
  }
}

export function createSwitchManager(options: SwitchManagerOptions): OfSwitchManager {
  return new OfSwitchManager(options);
}
