/**
 * A throwaway Open vSwitch (userspace dummy datapath) in a temp dir, as described in
 * ../shared/reference/real-peers.md. Minimal on purpose: the benchmark only needs one bridge
 * it can load rules into and dial through its unix management socket.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface OvsSandbox {
  dir: string;
  /** `unix:DIR/br0.mgmt`, the target ovs-ofctl and our own client dial. */
  target: string;
  mgmtSocket: string;
  ofctl(args: string[], opts?: { input?: string }): string;
  /** ovs-appctl against this sandbox's ovs-vswitchd (e.g. netdev-dummy/receive to move counters). */
  appctl(args: string[]): string;
  stop(): void;
}

export function startOvs(bridge = 'br0'): OvsSandbox {
  const dir = mkdtempSync(join(tmpdir(), 'ofstats-bench-ovs-'));
  const env = { ...process.env, OVS_RUNDIR: dir, OVS_LOGDIR: dir, OVS_DBDIR: dir, OVS_SYSCONFDIR: dir };
  const run = (cmd: string, args: string[], input?: string): string =>
    execFileSync(cmd, args, { env, encoding: 'utf8', input, maxBuffer: 1 << 30, stdio: ['pipe', 'pipe', 'pipe'] });
  const db = `unix:${join(dir, 'db.sock')}`;
  const pids: string[] = [];
  const stop = (): void => {
    for (const f of pids) {
      try {
        process.kill(Number(readFileSync(f, 'utf8').trim()));
      } catch {
        /* already gone */
      }
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    run('ovsdb-tool', ['create', join(dir, 'conf.db'), '/usr/share/openvswitch/vswitch.ovsschema']);
    run('ovsdb-server', [
      '--detach', '--no-chdir', `--pidfile=${join(dir, 'ovsdb-server.pid')}`,
      `--log-file=${join(dir, 'ovsdb-server.log')}`, `--remote=p${db}`, join(dir, 'conf.db'),
    ]);
    pids.push(join(dir, 'ovsdb-server.pid'));
    run('ovs-vsctl', [`--db=${db}`, '--no-wait', 'init']);
    run('ovs-vswitchd', [
      '--detach', '--no-chdir', `--pidfile=${join(dir, 'ovs-vswitchd.pid')}`,
      `--log-file=${join(dir, 'ovs-vswitchd.log')}`, '--enable-dummy=override', db,
    ]);
    pids.push(join(dir, 'ovs-vswitchd.pid'));
    const ports: string[] = [];
    for (let p = 1; p <= 8; p++) {
      ports.push('--', 'add-port', bridge, `p${p}`, '--', 'set', 'interface', `p${p}`, 'type=dummy', `ofport_request=${p}`);
    }
    run('ovs-vsctl', [
      `--db=${db}`, 'add-br', bridge, '--', 'set', 'bridge', bridge, 'datapath_type=dummy',
      'protocols=OpenFlow13', 'fail_mode=secure', 'other-config:datapath-id=0000000000000001', ...ports,
    ]);
  } catch (e) {
    stop();
    throw e;
  }
  const mgmtSocket = join(dir, `${bridge}.mgmt`);
  for (let i = 0; i < 100 && !existsSync(mgmtSocket); i++) execFileSync('sleep', ['0.05']);
  const target = `unix:${mgmtSocket}`;
  return {
    dir,
    target,
    mgmtSocket,
    ofctl: (args, opts) => run('ovs-ofctl', ['-O', 'OpenFlow13', ...args], opts?.input),
    appctl: (args) => {
      const pid = readFileSync(join(dir, 'ovs-vswitchd.pid'), 'utf8').trim();
      return run('ovs-appctl', ['-t', join(dir, `ovs-vswitchd.${pid}.ctl`), ...args]);
    },
    stop,
  };
}
