/**
 * InfluxDB 1.x sink: points become line protocol (our serializer, so 64-bit values stay
 * exact), written as bytes straight from the batch (LineWriter), wait in a bounded buffer of
 * those bytes and are POSTed to /write in batches by the `influx` package's connection pool,
 * one request at a time, oldest first. A request body is a Buffer of whole lines (the pool
 * writes it as is and takes its Content-Length from its byte length).
 *
 * Why not the package's writePoints(): it formats integer fields with Math.floor(value) (a
 * bigint throws, a decimal string is rounded through number above 2^53) and writes the
 * measurement unescaped. Its Pool does the HTTP (host URL, Basic auth, request timeout,
 * 4xx/5xx classification); its own retries and host disabling are switched off because this
 * sink retries with its own backoff and must know which batch each attempt carries.
 *
 * Delivery rules:
 * - a batch leaves the buffer only after a 2xx; a failed attempt (connection refused, timeout,
 *   5xx) is retried with exponential backoff and jitter, the same batch first, so order holds
 *   and no batch is sent while another is in flight;
 * - a 3xx/4xx (bad data, bad credentials, unknown database) is logged with the server's
 *   message and the batch is dropped and counted, not retried; an unknown database is
 *   created once when `createDatabase` is on, and the batch is retried after that;
 * - when the buffer is full the oldest waiting points are dropped and counted; the batch being
 *   sent is kept (the server may already have stored it);
 * - close() keeps trying for closeTimeoutMs, then gives up and logs how many points were lost.
 * A retried batch the server had in fact stored is harmless: InfluxDB keeps one point per
 * series and timestamp, so writing it again overwrites it with the same value.
 */
import * as http from 'node:http';
import * as https from 'node:https';
import { stringify } from 'node:querystring';
import { escape } from 'influx';
import { ConstantBackoff } from 'influx/lib/src/backoff/constant.js';
import { Pool, RequestError } from 'influx/lib/src/pool.js';
import type { PointBatch } from '../metrics/point-batch.js';
import type { Point } from '../metrics/types.js';
import { Backoff } from '../transport/backoff.js';
import { LineQueue } from './influx-buffer.js';
import type { InfluxPrecision, InfluxSettings } from './influx-settings.js';
import { toLine } from './line-protocol.js';
import { LineWriter, timestampText, writable } from './line-writer.js';
import type { Sink } from './types.js';

type LogFn = (obj: object, msg: string) => void;
export interface SinkLogger {
  error: LogFn;
  warn: LogFn;
  info: LogFn;
  debug: LogFn;
}

export interface InfluxSinkOptions extends InfluxSettings {
  log?: SinkLogger;
  /** Injectable for tests; returns [0, 1). */
  random?: () => number;
}

type Outcome =
  | { kind: 'ok' }
  | { kind: 'refused'; status: number; message: string }
  | { kind: 'retry'; message: string };

/** What happened to points, for self metrics and tests. */
export interface InfluxSinkStats {
  written: number;
  /** Oldest waiting points pushed out by newer ones while the server did not take them. */
  overflowed: number;
  /** Refused by the server with a 3xx/4xx. */
  refused: number;
  /** Not representable in line protocol (value beyond int64, no name, no valid time). */
  unwritable: number;
  /** Still buffered when close() gave up, or written after close(). */
  lost: number;
  requests: number;
  failedRequests: number;
}

const SILENT: SinkLogger = { error() {}, warn() {}, info() {}, debug() {} };
const REPEAT_LOG_MS = 60_000;

/**
 * One point's line at a precision; undefined for a point InfluxDB could not take. The sink
 * writes the same lines as bytes (LineWriter); this is the form for one point.
 */
export function influxLine(p: Point, precision: InfluxPrecision): string | undefined {
  const line = toLine(p);
  if (line === undefined || precision === 'ms') return line;
  return line.slice(0, line.lastIndexOf(' ') + 1) + timestampText(p.timestamp, precision);
}

export class InfluxSink implements Sink {
  readonly name = 'influx';
  readonly stats: InfluxSinkStats = { written: 0, overflowed: 0, refused: 0, unwritable: 0, lost: 0, requests: 0, failedRequests: 0 };
  private readonly log: SinkLogger;
  private readonly lines = new LineWriter({ maxSpareBytes: 8 * 1024 * 1024 });
  private readonly queue = new LineQueue(this.lines);
  private readonly pool: Pool;
  private readonly agent: http.Agent;
  private readonly backoff: Backoff;
  private readonly auth: string | undefined;
  private readonly timer: NodeJS.Timeout;
  private inflight: { body: Buffer; lines: number } | undefined;
  private running: Promise<void> | undefined;
  private drainAll = false;
  private closed = false;
  private stopped = false;
  private needCreate: boolean;
  private recreated = false;
  private failures = 0;
  private downSince = 0;
  private overflowing = false;
  private lastRefusal = { message: '', at: 0, repeated: 0 };
  private abort: AbortController | undefined;
  private wake: (() => void) | undefined;
  private emptyWaiters: (() => void)[] = [];

  constructor(private readonly opts: InfluxSinkOptions) {
    if (!(opts.batchSize >= 1 && opts.batchSize < opts.bufferSize)) {
      throw new RangeError(`influx sink: need 1 <= batchSize < bufferSize (got ${opts.batchSize}, ${opts.bufferSize})`);
    }
    this.log = opts.log ?? SILENT;
    this.backoff = new Backoff({ minMs: opts.backoffMinMs, maxMs: opts.backoffMaxMs, random: opts.random });
    this.needCreate = opts.createDatabase;
    this.auth = opts.username !== undefined ? `${opts.username}:${opts.password ?? ''}` : undefined;
    const Agent = opts.url.startsWith('https:') ? https.Agent : http.Agent;
    this.agent = new Agent({ keepAlive: true, maxSockets: 1 });
    // maxRetries 0 and a zero constant backoff: the pool never resends nor parks the host.
    this.pool = new Pool({ maxRetries: 0, requestTimeout: opts.requestTimeoutMs, backoff: new ConstantBackoff({ delay: 0, jitter: 0 }) });
    this.pool.addHost(opts.url, { agent: this.agent });
    this.timer = setInterval(() => this.kick(true), opts.flushIntervalMs);
    this.timer.unref();
  }

  /** Every point lost one way or another (self metric `ofstats.sink.dropped`). */
  get dropped(): number {
    const s = this.stats;
    return s.overflowed + s.refused + s.unwritable + s.lost;
  }

  /** Points held now, the batch being sent included; never above bufferSize. */
  get buffered(): number {
    return (this.inflight?.lines ?? 0) + this.queue.length;
  }

  write(batch: PointBatch): void {
    const n = batch.length;
    if (this.closed) {
      this.stats.lost += n;
      return;
    }
    if (!Number.isFinite(batch.timestamp)) {
      this.stats.unwritable += n;
      return;
    }
    // Room beside the batch in flight; batchSize < bufferSize, so there is always some.
    const room = this.opts.bufferSize - (this.inflight?.lines ?? 0);
    // Only the newest lines that fit are made: an older one would push out the oldest waiting
    // line and be pushed out itself before this write ends.
    let start = n;
    for (let keep = 0; start > 0 && keep < room; ) if (writable(batch, --start)) keep++;
    let pushedThrough = 0;
    for (let i = 0; i < start; i++) if (writable(batch, i)) pushedThrough++;
    const made = this.lines.append(batch, this.opts.precision, start, n);
    this.stats.unwritable += n - made - pushedThrough;
    const excess = Math.max(0, this.queue.length + made - room);
    this.queue.drop(excess);
    this.queue.push(this.lines.take());
    const overflowed = excess + pushedThrough;
    if (overflowed > 0) {
      this.stats.overflowed += overflowed;
      if (!this.overflowing) {
        this.overflowing = true;
        this.log.warn({ bufferSize: this.opts.bufferSize }, 'InfluxDB buffer full: dropping the oldest points');
      }
    }
    if (this.queue.length >= this.opts.batchSize) this.kick(false);
  }

  async flush(): Promise<void> {
    this.kick(true);
    await this.whenEmpty();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.timer);
    this.kick(true);
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<false>((resolve) => { timer = setTimeout(() => resolve(false), this.opts.closeTimeoutMs); });
    const done = await Promise.race([this.whenEmpty().then(() => true as const), late]);
    clearTimeout(timer);
    if (!done) {
      this.stopped = true;
      this.abort?.abort('shutdown deadline');
      this.wake?.();
      await this.running;
      const lost = this.buffered;
      this.stats.lost += lost;
      this.inflight = undefined;
      this.queue.clear();
      this.log.error({ lost, waitedMs: this.opts.closeTimeoutMs, db: this.opts.database }, 'InfluxDB: gave up flushing at shutdown, points lost');
    }
    this.agent.destroy();
    this.notifyEmpty(true);
  }

  /** Start the send loop unless it runs; `all` asks it to send a partial batch too. */
  private kick(all: boolean): void {
    if (all && this.buffered > 0) this.drainAll = true;
    if (this.running || this.stopped || !this.wantsToSend()) return;
    let crashed = false;
    this.running = this.loop().catch((e: unknown) => {
      // A bug, not the server: the points stay (the batch first); the flush timer tries again
      // later rather than spinning on the same error now.
      crashed = true;
      this.log.error({ err: String(e) }, 'InfluxDB sink: unexpected error in the send loop');
    }).finally(() => {
      this.running = undefined;
      // A write during the last await may have filled a batch.
      if (!crashed && !this.stopped && this.wantsToSend()) this.kick(false);
    });
  }

  private wantsToSend(): boolean {
    return this.inflight !== undefined || this.queue.length >= this.opts.batchSize || (this.drainAll && this.queue.length > 0);
  }

  private async loop(): Promise<void> {
    while (!this.stopped && this.wantsToSend()) {
      // Taken before any await, so the batch is fixed the moment sending starts.
      const batch = (this.inflight ??= this.queue.take(this.opts.batchSize));
      if (this.needCreate) {
        const r = await this.request('/query', undefined, stringify({ q: `CREATE DATABASE ${escape.quoted(this.opts.database)}` }));
        if (r.kind === 'retry') {
          await this.failed(r.message);
          continue;
        }
        this.needCreate = false;
        if (r.kind === 'refused') this.log.error({ status: r.status, err: r.message, db: this.opts.database }, 'InfluxDB: cannot create the database');
        else this.log.info({ db: this.opts.database }, 'InfluxDB: database created (or already there)');
      }
      const query = { db: this.opts.database, precision: this.opts.precision, rp: this.opts.retentionPolicy };
      const r = await this.request('/write', query, batch.body);
      if (r.kind === 'retry') {
        await this.failed(r.message);
        continue;
      }
      this.recovered();
      if (r.kind === 'refused' && r.status === 404 && this.opts.createDatabase && !this.recreated && /database not found/i.test(r.message)) {
        // Dropped while we run: create it once and resend this batch, then 404s count as refusals.
        this.recreated = true;
        this.needCreate = true;
        this.log.warn({ db: this.opts.database, err: r.message }, 'InfluxDB: database not found: creating it');
        continue;
      }
      this.inflight = undefined;
      if (r.kind === 'ok') {
        this.stats.written += batch.lines;
        if (this.overflowing) {
          this.overflowing = false;
          this.log.warn({ droppedSoFar: this.stats.overflowed }, 'InfluxDB buffer has room again');
        }
      } else {
        this.refused(r, batch.lines);
      }
      this.notifyEmpty(false);
    }
    if (this.queue.length === 0) this.drainAll = false;
    this.notifyEmpty(false);
  }

  private refused(r: Extract<Outcome, { kind: 'refused' }>, points: number): void {
    // A partial write stored the rest of the batch: only the points it names are lost.
    const partial = /dropped=(\d+)/.exec(r.message);
    this.stats.refused += partial ? Math.min(points, Number(partial[1])) : points;
    const now = Date.now();
    const last = this.lastRefusal;
    if (last.message === r.message && now - last.at < REPEAT_LOG_MS) {
      last.repeated++;
      return;
    }
    this.log.error(
      { status: r.status, err: r.message, points, db: this.opts.database, repeatedBefore: last.repeated || undefined },
      'InfluxDB refused a batch: dropped, not retried',
    );
    this.lastRefusal = { message: r.message, at: now, repeated: 0 };
  }

  private async failed(message: string): Promise<void> {
    this.stats.failedRequests++;
    if (this.stopped) return;
    if (this.failures++ === 0) {
      this.downSince = Date.now();
      this.log.warn({ err: message, url: this.opts.url, buffered: this.buffered }, 'InfluxDB write failed: keeping the points, retrying with backoff');
    } else {
      this.log.debug({ err: message, attempt: this.failures, buffered: this.buffered }, 'InfluxDB write failed again');
    }
    const ms = this.backoff.next();
    await new Promise<void>((resolve) => {
      const t = setTimeout(done, ms);
      function done() { clearTimeout(t); resolve(); }
      this.wake = done;
    });
    this.wake = undefined;
  }

  private recovered(): void {
    if (this.failures > 0) {
      this.log.info({ failedAttempts: this.failures, downMs: Date.now() - this.downSince, buffered: this.buffered }, 'InfluxDB reachable again');
    }
    this.failures = 0;
    this.backoff.reset();
  }

  /** One request through the pool, bounded in total time (the pool's own timeout is per idle socket). */
  private async request(path: '/write' | '/query', query: Record<string, string | undefined> | undefined, body: string | Buffer): Promise<Outcome> {
    this.stats.requests++;
    const abort = new AbortController();
    this.abort = abort;
    let timer: NodeJS.Timeout | undefined;
    // Settles on our deadline or on close() giving up, even if the pool never calls back.
    const deadline = new Promise<Outcome>((resolve) => {
      abort.signal.addEventListener('abort', () => resolve({ kind: 'retry', message: String(abort.signal.reason) }), { once: true });
      timer = setTimeout(() => abort.abort(`no answer within ${this.opts.requestTimeoutMs} ms`), this.opts.requestTimeoutMs);
    });
    const call = (path === '/write'
      // The pool is typed for string bodies, but writes a Buffer as is and sizes it by bytes.
      ? this.pool.discard({ method: 'POST', path, query: dropUndefined(query ?? {}), body: body as string, auth: this.auth, signal: abort.signal })
      : this.pool.text({ method: 'POST', path, body: body as string, auth: this.auth, signal: abort.signal }).then(queryError)
    ).then((): Outcome => ({ kind: 'ok' }), classify);
    try {
      return await Promise.race([call, deadline]);
    } finally {
      clearTimeout(timer);
      this.abort = undefined;
    }
  }

  private whenEmpty(): Promise<void> {
    if (this.buffered === 0 || this.stopped) return Promise.resolve();
    return new Promise((resolve) => this.emptyWaiters.push(resolve));
  }

  private notifyEmpty(force: boolean): void {
    if (!force && this.buffered > 0) return;
    const waiters = this.emptyWaiters;
    this.emptyWaiters = [];
    for (const w of waiters) w();
  }
}

function dropUndefined(q: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(q).filter((e): e is [string, string] => e[1] !== undefined));
}

/** /query answers 200 even when the statement failed: its error is in the body. */
function queryError(text: string): void {
  let error: unknown;
  try {
    error = (JSON.parse(text) as { results?: { error?: string }[] }).results?.find((r) => r.error)?.error;
  } catch {
    return;
  }
  if (typeof error === 'string') throw Object.assign(new Error(error), { status: 400 });
}

function classify(err: unknown): Outcome {
  if (err instanceof RequestError) {
    const header = err.res.headers['x-influxdb-error'];
    const body = /occurred: ([\s\S]*)$/.exec(err.message)?.[1] ?? err.message;
    let message = typeof header === 'string' && header ? header : body;
    if (message === body) {
      try {
        const e = (JSON.parse(body) as { error?: unknown }).error;
        if (typeof e === 'string') message = e;
      } catch {
        // Not JSON: the body as the server sent it.
      }
    }
    return { kind: 'refused', status: err.res.statusCode ?? 0, message: message.trim() };
  }
  const status = (err as { status?: number }).status;
  if (typeof status === 'number') return { kind: 'refused', status, message: (err as Error).message };
  const e = err as NodeJS.ErrnoException;
  return { kind: 'retry', message: e.code ? `${e.code}: ${e.message}` : String(e?.message ?? err) };
}
