/**
 * A real InfluxDB 1.x (Debian's influxd) for tests: its own temp dir, HTTP on a free loopback
 * port, optional auth; stop and start again on the same dir and port (an outage); queries
 * answered as CSV so 64-bit integers come back as the server's text, not rounded by
 * JSON.parse. Cleanup even when a test crashes. See ../../../shared/reference/real-peers.md.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, openSync, closeSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from './ovs.js';
import { atExit } from '../support/cleanup.js';

export interface InfluxPeerOptions {
  /** `[http] auth-enabled`: an admin user (admin / admin-pw) is created and used by query(). */
  auth?: boolean;
  /** Use this HTTP port instead of a free one (a server that is to appear later on a known port). */
  port?: number;
  /** Do not start now: call start() later. */
  deferStart?: boolean;
}

export interface InfluxPeer {
  dir: string;
  port: number;
  /** http://127.0.0.1:PORT */
  url: string;
  admin?: { username: string; password: string };
  running: boolean;
  start(): Promise<void>;
  /** SIGTERM and wait for the exit (SIGKILL after 10 s). */
  stop(): Promise<void>;
  /** Rows of a query as objects keyed by column, every value as the server's text. */
  query(q: string, db?: string): Promise<Record<string, string>[]>;
  /** A statement without rows (CREATE DATABASE ...); throws on an error in the answer. */
  exec(q: string): Promise<void>;
  /** Counters of the HTTP service since this process started (writeReq, pointsWrittenOK, ...). */
  httpStats(): Promise<Record<string, number>>;
  log(): string;
  cleanup(): Promise<void>;
}

const ADMIN = { username: 'admin', password: 'admin-pw' };
const live = new Set<ChildProcess>();
const dirs = new Set<string>();
atExit(() => {
  for (const c of live) c.kill('SIGKILL');
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

export async function startInflux(opts: InfluxPeerOptions = {}): Promise<InfluxPeer> {
  const dir = mkdtempSync(join(tmpdir(), 'ofstats-influx-'));
  dirs.add(dir);
  const port = opts.port ?? await freePort();
  const rpcPort = await freePort();
  const conf = join(dir, 'influxdb.conf');
  writeFileSync(conf, [
    'reporting-disabled = true',
    `bind-address = "127.0.0.1:${rpcPort}"`,
    '[meta]', `  dir = "${dir}/meta"`,
    '[data]', `  dir = "${dir}/data"`, `  wal-dir = "${dir}/wal"`, '  query-log-enabled = false',
    // The monitor would write to _internal; keep the server's own work out of the counts.
    '[monitor]', '  store-enabled = false',
    '[http]', `  bind-address = "127.0.0.1:${port}"`, `  auth-enabled = ${opts.auth ? 'true' : 'false'}`, '  log-enabled = false',
    '',
  ].join('\n'));
  const logPath = join(dir, 'influxd.log');
  const url = `http://127.0.0.1:${port}`;
  let child: ChildProcess | undefined;

  const authHeader = (): Record<string, string> => opts.auth
    ? { authorization: 'Basic ' + Buffer.from(`${ADMIN.username}:${ADMIN.password}`).toString('base64') }
    : {};

  async function post(q: string, db?: string, csv = false): Promise<string> {
    const params = new URLSearchParams({ q, epoch: 'ms' });
    if (db) params.set('db', db);
    const res = await fetch(`${url}/query`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...(csv ? { accept: 'application/csv' } : {}), ...authHeader() },
      body: params.toString(),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`influx query ${q}: ${res.status} ${text}`);
    if (!csv && /"error"/.test(text)) throw new Error(`influx query ${q}: ${text}`);
    return text;
  }

  const peer: InfluxPeer = {
    dir,
    port,
    url,
    admin: opts.auth ? ADMIN : undefined,
    running: false,
    async start() {
      const fd = openSync(logPath, 'a');
      child = spawn('influxd', ['-config', conf], { stdio: ['ignore', fd, fd] });
      closeSync(fd);
      live.add(child);
      const c = child;
      let exited = false;
      c.once('exit', () => { exited = true; live.delete(c); });
      const deadline = Date.now() + 15_000;
      for (;;) {
        if (exited) throw new Error(`influxd exited at start:\n${peer.log().slice(-2000)}`);
        try {
          const r = await fetch(`${url}/ping`);
          if (r.status === 204) break;
        } catch {
          // Not listening yet.
        }
        if (Date.now() > deadline) throw new Error(`influxd did not answer /ping within 15 s:\n${peer.log().slice(-2000)}`);
        await sleep(50);
      }
      peer.running = true;
      // With auth on, the first user may be created without credentials; later starts find it.
      if (opts.auth) {
        await fetch(`${url}/query`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ q: `CREATE USER ${ADMIN.username} WITH PASSWORD '${ADMIN.password}' WITH ALL PRIVILEGES` }).toString(),
        }).then((r) => r.text());
      }
    },
    async stop() {
      const c = child;
      if (!c || c.exitCode !== null || c.signalCode !== null) {
        peer.running = false;
        return;
      }
      const gone = new Promise<void>((resolve) => c.once('exit', () => resolve()));
      c.kill('SIGTERM');
      const t = setTimeout(() => c.kill('SIGKILL'), 10_000);
      await gone;
      clearTimeout(t);
      peer.running = false;
    },
    async query(q, db) {
      return parseCsv(await post(q, db, true));
    },
    async exec(q) {
      await post(q);
    },
    async httpStats() {
      const j = JSON.parse(await post(`SHOW STATS FOR 'httpd'`)) as { results: { series?: { columns: string[]; values: number[][] }[] }[] };
      const s = j.results[0]?.series?.[0];
      if (!s) throw new Error('no httpd stats');
      return Object.fromEntries(s.columns.map((c, i) => [c, s.values[0]![i]!]));
    },
    log() {
      try {
        return readFileSync(logPath, 'utf8');
      } catch {
        return '';
      }
    },
    async cleanup() {
      await peer.stop();
      rmSync(dir, { recursive: true, force: true });
      dirs.delete(dir);
    },
  };
  if (!opts.deferStart) await peer.start();
  return peer;
}

/** RFC 4180 CSV (what Go's encoding/csv writes): quoted fields, doubled quotes. */
function parseCsv(text: string): Record<string, string>[] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i++; }
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(field); field = ''; }
    else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field); field = '';
      if (row.length > 1 || row[0] !== '') rows.push(row);
      row = [];
    } else field += c;
  }
  if (field !== '' || row.length > 0) { row.push(field); rows.push(row); }
  // Several statements or series repeat the header: each header line starts a new block.
  const out: Record<string, string>[] = [];
  let header: string[] | undefined;
  for (const r of rows) {
    if (r[0] === 'name' && r[1] === 'tags') { header = r; continue; }
    if (!header) continue;
    out.push(Object.fromEntries(header.map((h, i) => [h, r[i] ?? ''])));
  }
  return out;
}
