/**
 * What the connection tests need beside test/peers/ovs.ts: killing and restarting
 * ovs-vswitchd in a sandbox, TLS certificates from ovs-pki, the controller table.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { waitFor } from '../support/wait.js';
import { alive, runTool, startVswitchdIn, type OvsSandbox } from './ovs.js';
import { atExit } from '../support/cleanup.js';

const extraPids = new Set<number>();
atExit(() => {
  for (const p of extraPids) {
    try {
      process.kill(p, 'SIGKILL');
    } catch {
      // gone
    }
  }
});

/** SIGKILL the sandbox's ovs-vswitchd (no goodbye on its sockets' protocol level) and wait until it is gone. */
export async function killVswitchd(sb: OvsSandbox): Promise<void> {
  const pid = Number(readFileSync(join(sb.dir, 'ovs-vswitchd.pid'), 'utf8').trim());
  process.kill(pid, 'SIGKILL');
  await waitFor(`ovs-vswitchd ${pid} to die`, () => !alive(pid), 10_000, 10);
  extraPids.delete(pid);
}

/** Start ovs-vswitchd again on the sandbox's database; it rebuilds bridges and controllers from it. */
export async function startVswitchd(sb: OvsSandbox): Promise<void> {
  await startVswitchdIn(sb.dir, sb.dbSock, sb.env);
  const pid = Number(readFileSync(join(sb.dir, 'ovs-vswitchd.pid'), 'utf8').trim());
  extraPids.add(pid);
}

/** Kill any ovs-vswitchd this module started (sandbox.stop() only knows the first one). */
export function stopExtra(): void {
  for (const p of extraPids) {
    try {
      process.kill(p, 'SIGTERM');
    } catch {
      // gone
    }
  }
  extraPids.clear();
}

export interface Pki {
  /** For ofstats: key, cert signed by the controller CA, and the switch CA to verify switches. */
  controller: { key: string; cert: string; ca: string };
  /** For `ovs-vsctl set-ssl KEY CERT CACERT`: the switch's key and cert, and the controller CA. */
  switch: { key: string; cert: string; ca: string };
  /** A CA that signed neither peer's certificate, for negative tests. */
  otherCa: string;
}

/** Certificates the way OVS operators make them: `ovs-pki init`, then `req+sign` per peer. */
export async function makePki(dir: string): Promise<Pki> {
  const pki = join(dir, 'pki');
  await runTool('ovs-pki', ['-b', `--dir=${pki}`, 'init'], { timeoutMs: 30_000 });
  await runTool('ovs-pki', ['-b', `--dir=${pki}`, 'req+sign', 'ctl', 'controller'], { cwd: dir, timeoutMs: 30_000 });
  await runTool('ovs-pki', ['-b', `--dir=${pki}`, 'req+sign', 'sw', 'switch'], { cwd: dir, timeoutMs: 30_000 });
  return {
    controller: { key: join(dir, 'ctl-privkey.pem'), cert: join(dir, 'ctl-cert.pem'), ca: join(pki, 'switchca', 'cacert.pem') },
    switch: { key: join(dir, 'sw-privkey.pem'), cert: join(dir, 'sw-cert.pem'), ca: join(pki, 'controllerca', 'cacert.pem') },
    otherCa: join(pki, 'controllerca', 'cacert.pem'),
  };
}

/** `ovs-vsctl list controller` as rows of target, role, is_connected. */
export async function controllers(sb: OvsSandbox): Promise<Array<{ target: string; role: string; is_connected: boolean }>> {
  const out = await sb.vsctl('--format=json', '--columns=target,role,is_connected', 'list', 'controller');
  const j = JSON.parse(out) as { data: unknown[][] };
  const val = (v: unknown): unknown => (Array.isArray(v) && v[0] === 'set' ? (v[1] as unknown[])[0] : v);
  return j.data.map((r) => ({ target: String(val(r[0])), role: String(val(r[1]) ?? ''), is_connected: val(r[2]) === true }));
}

/** Sync check that a binary exists (the peers are installed by scripts/install-peers.sh). */
export function have(cmd: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
}
