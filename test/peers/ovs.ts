/**
 * A sandboxed Open vSwitch (ovsdb-server + ovs-vswitchd on the userspace "dummy" datapath) for
 * tests: its own temp dir, bridges br0..brN-1 speaking OpenFlow 1.3 with datapath ids 1..N and
 * dummy ports, commands run against that sandbox only, and cleanup even when a test crashes.
 * See ../../../shared/reference/real-peers.md for what was observed with OVS 3.1 here.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, listening } from '../support/net.js';
import { waitFor } from '../support/wait.js';
import { atExit } from '../support/cleanup.js';

export { freePort, waitFor };

export interface OvsOptions {
  /** Number of bridges (br0, br1, ...), or their names. Default 1. */
  bridges?: number | string[];
  /** Dummy ports per bridge, with ofport 1..n. Default 2. */
  portsPerBridge?: number;
  /** Fail mode of every bridge. Default `secure` (see real-peers.md: rules survive controllers). */
  failMode?: 'secure' | 'standalone';
}

export interface OvsBridge {
  name: string;
  /** Datapath id as 16 hex digits (bigint in `dpid`). */
  dpidHex: string;
  dpid: bigint;
  /** Port names, index i has ofport i+1. */
  ports: string[];
  /** Path of the bridge's management socket (what `ovs-ofctl ... unix:PATH` dials). */
  mgmtPath: string;
  /** `unix:PATH`, the target to give ovs-ofctl. */
  mgmt: string;
}

export interface OvsSandbox {
  dir: string;
  /** Environment that points OVS tools at this sandbox. */
  env: NodeJS.ProcessEnv;
  dbSock: string;
  bridges: OvsBridge[];
  bridge(name: string): OvsBridge;
  vsctl(...args: string[]): Promise<string>;
  /** ovs-ofctl with the arguments as given (add `-O OpenFlow13` yourself). */
  ofctl(...args: string[]): Promise<string>;
  /** ovs-appctl addressed to this sandbox's ovs-vswitchd. */
  appctl(...args: string[]): Promise<string>;
  /**
   * Make `bridge` listen for controllers on 127.0.0.1 (set-controller ptcp:PORT:127.0.0.1)
   * and wait until it accepts connections. Returns the port (a free one unless given).
   */
  listen(bridge?: string, port?: number): Promise<number>;
  stop(): Promise<void>;
}

/** Runs an OVS tool; its stdout, or an error carrying its stderr. */
export function runTool(cmd: string, args: string[], opts: { env?: NodeJS.ProcessEnv; cwd?: string; timeoutMs?: number } = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { env: opts.env, cwd: opts.cwd, timeout: opts.timeoutMs ?? 15_000, maxBuffer: 256 << 20 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${cmd} ${args.join(' ')} failed: ${err.message}\n${stderr}`));
      else resolve(stdout);
    });
  });
}

const run = (cmd: string, args: string[], env: NodeJS.ProcessEnv) => runTool(cmd, args, { env });

/** ovs-vswitchd on the sandbox's database, detached, with its pid file in the sandbox dir. */
export function startVswitchdIn(dir: string, dbSock: string, env: NodeJS.ProcessEnv): Promise<string> {
  return run('ovs-vswitchd', ['--detach', '--no-chdir', `--pidfile=${join(dir, 'ovs-vswitchd.pid')}`,
    `--log-file=${join(dir, 'ovs-vswitchd.log')}`, '--enable-dummy=override', `unix:${dbSock}`], env);
}

/** Dumps compared without their durations, which move by themselves. */
function countersKey(v: unknown): string {
  if (typeof v === 'string') return v.replace(/duration[=:][\d.]+s/g, '');
  return JSON.stringify(v, (k, x: unknown) => (k === 'duration' ? undefined : typeof x === 'bigint' ? x.toString() : x instanceof Map ? [...x] : x));
}

/**
 * Waits until OVS's counters hold what the test sent, and returns the dumps then. Flow, table,
 * meter and group counters reach the rules through the revalidators (a cycle every 500 ms by
 * default), so a dump right after traffic shows part of it: after each `revalidator/wait` (one
 * full cycle done) `read` dumps again, until `ready` says the traffic is all counted and one
 * more cycle changes nothing. `ready` is the test's own count of what it sent, not a guess.
 */
export async function settle<T>(sb: OvsSandbox, read: () => Promise<T>, ready: (dumps: T) => boolean, timeoutMs = 30_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  let prev: string | undefined;
  for (;;) {
    await sb.appctl('revalidator/wait');
    const now = await read();
    const key = countersKey(now);
    if (ready(now)) {
      if (key === prev) return now;
      prev = key;
    } else {
      prev = undefined;
    }
    if (Date.now() > until) throw new Error(`OVS counters did not settle within ${timeoutMs} ms; last dumps:\n${key.slice(0, 4000)}`);
  }
}

function readPid(path: string): number | undefined {
  try {
    const n = Number(readFileSync(path, 'utf8').trim());
    return Number.isInteger(n) && n > 0 ? n : undefined;
  } catch {
    return undefined;
  }
}

function killQuietly(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    // already gone
  }
}

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export async function startOvs(opts: OvsOptions = {}): Promise<OvsSandbox> {
  const names =
    Array.isArray(opts.bridges) ? opts.bridges : Array.from({ length: opts.bridges ?? 1 }, (_, i) => `br${i}`);
  const nports = opts.portsPerBridge ?? 2;
  const dir = mkdtempSync(join(tmpdir(), 'ofstats-ovs-'));
  const env: NodeJS.ProcessEnv = { ...process.env, OVS_RUNDIR: dir, OVS_LOGDIR: dir, OVS_DBDIR: dir, OVS_SYSCONFDIR: dir };
  const dbSock = join(dir, 'db.sock');
  const pids: (number | undefined)[] = [];
  let stopped = false;

  // Synchronous, so it also runs when the test process exits on an uncaught error or a signal.
  const cleanup = (): void => {
    if (stopped) return;
    stopped = true;
    for (const pid of pids) killQuietly(pid);
    rmSync(dir, { recursive: true, force: true });
  };
  const forget = atExit(cleanup);

  const vsctl = (...args: string[]) => run('ovs-vsctl', [`--db=unix:${dbSock}`, '--timeout=10', ...args], env);
  try {
    await run('ovsdb-tool', ['create', join(dir, 'conf.db'), '/usr/share/openvswitch/vswitch.ovsschema'], env);
    await run('ovsdb-server', ['--detach', '--no-chdir', `--pidfile=${join(dir, 'ovsdb-server.pid')}`,
      `--log-file=${join(dir, 'ovsdb-server.log')}`, `--remote=punix:${dbSock}`, join(dir, 'conf.db')], env);
    pids.push(readPid(join(dir, 'ovsdb-server.pid')));
    await vsctl('--no-wait', 'init');
    await startVswitchdIn(dir, dbSock, env);
    pids.push(readPid(join(dir, 'ovs-vswitchd.pid')));

    const bridges: OvsBridge[] = names.map((name, i) => {
      const dpid = BigInt(i + 1);
      const mgmtPath = join(dir, `${name}.mgmt`);
      return {
        name,
        dpid,
        dpidHex: dpid.toString(16).padStart(16, '0'),
        ports: Array.from({ length: nports }, (_, k) => (i === 0 ? `p${k + 1}` : `${name}p${k + 1}`)),
        mgmtPath,
        mgmt: `unix:${mgmtPath}`,
      };
    });
    const args: string[] = [];
    for (const b of bridges) {
      args.push('--', 'add-br', b.name, '--', 'set', 'bridge', b.name, 'datapath_type=dummy', 'protocols=OpenFlow13',
        `fail_mode=${opts.failMode ?? 'secure'}`, `other-config:datapath-id=${b.dpidHex}`);
      b.ports.forEach((p, k) => {
        args.push('--', 'add-port', b.name, p, '--', 'set', 'interface', p, 'type=dummy', `ofport_request=${k + 1}`);
      });
    }
    // Without --no-wait, ovs-vsctl returns once ovs-vswitchd has applied the change.
    await vsctl(...args.slice(1));
    await waitFor('bridge management sockets', () => bridges.every((b) => existsSync(b.mgmtPath)));

    const vswitchdPid = pids[1];
    const sandbox: OvsSandbox = {
      dir,
      env,
      dbSock,
      bridges,
      bridge(name) {
        const b = bridges.find((x) => x.name === name);
        if (!b) throw new Error(`no bridge ${name} in this sandbox`);
        return b;
      },
      vsctl,
      ofctl: (...a) => run('ovs-ofctl', a, env),
      appctl: (...a) => run('ovs-appctl', ['-t', join(dir, `ovs-vswitchd.${vswitchdPid}.ctl`), ...a], env),
      async listen(bridge = bridges[0]!.name, port?: number) {
        const p = port ?? (await freePort());
        await vsctl('set-controller', bridge, `ptcp:${p}:127.0.0.1`);
        await waitFor(`${bridge} listening on ${p}`, () => listening(p));
        return p;
      },
      async stop() {
        if (stopped) return;
        const live = pids.filter((p): p is number => p !== undefined);
        for (const pid of live) killQuietly(pid);
        await waitFor('OVS daemons to exit', () => live.every((p) => !alive(p)), 5_000).catch(() => {
          for (const pid of live) {
            try {
              process.kill(pid, 'SIGKILL');
            } catch {
              // gone
            }
          }
        });
        cleanup();
        forget();
      },
    };
    return sandbox;
  } catch (e) {
    cleanup();
    forget();
    throw e;
  }
}
