/**
 * The connection layer against a REAL Open vSwitch (sandboxed, userspace datapath), both
 * directions, TCP, unix and TLS, plus the faults: a 1.0-only bridge, fake peers that stay
 * silent or send garbage next to a working bridge, and ovs-vswitchd killed and restarted.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createConnection } from 'node:net';
import { OfSwitchManager } from '../../src/connection/manager.js';
import type { SwitchManagerOptions } from '../../src/connection/options.js';
import type { RequestFailure, SwitchHandle } from '../../src/connection/types.js';
import { freePort, startOvs, type OvsSandbox } from '../peers/ovs.js';
import { controllers, killVswitchd, makePki, startVswitchd, stopExtra, type Pki } from '../peers/ovs-extra.js';
import { captureLog, until, type CapturedLog } from './helpers.js';
import { waitFor } from '../support/wait.js';

let sb: OvsSandbox;
let pki: Pki;
const managers: OfSwitchManager[] = [];

interface Harness {
  m: OfSwitchManager;
  cap: CapturedLog;
  up: Map<string, SwitchHandle>;
  ups: SwitchHandle[];
  downs: string[];
}

async function harness(o: Omit<SwitchManagerOptions, 'logger'>): Promise<Harness> {
  const cap = captureLog();
  const m = new OfSwitchManager({ backoffMinMs: 100, backoffMaxMs: 1000, handshakeTimeoutMs: 3000, requestTimeoutMs: 10_000, ...o, logger: cap.log });
  managers.push(m);
  const h: Harness = { m, cap, up: new Map(), ups: [], downs: [] };
  m.on('switch-up', (s: SwitchHandle) => {
    h.up.set(s.switchId, s);
    h.ups.push(s);
  });
  m.on('switch-down', (s: SwitchHandle, reason: string) => {
    if (h.up.get(s.switchId) === s) h.up.delete(s.switchId);
    h.downs.push(`${s.switchId}: ${reason}`);
  });
  await m.start();
  return h;
}

const FLOW_ALL = [{ table_id: 0xff, out_port: 0xffffffff, out_group: 0xffffffff, cookie: 0n, cookie_mask: 0n, match: { type: 1, oxm_fields: [] } }];

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const c = createConnection({ host: '127.0.0.1', port });
    c.once('connect', () => (c.destroy(), resolve(true)));
    c.once('error', () => resolve(false));
  });
}

before(async () => {
  [sb] = await Promise.all([startOvs({ bridges: 6 })]);
  pki = await makePki(sb.dir);
});

after(async () => {
  await Promise.all(managers.map((m) => m.stop()));
  stopExtra();
  await sb?.stop();
});

test('OVS dials ofstats (placeholder primary first): up as SW0000000000000001, listed as slave by ovs-vsctl; fake silent and garbage peers are dropped while it keeps working', async () => {
  const h = await harness({ listen: ['127.0.0.1:0'], handshakeTimeoutMs: 800 });
  const port = h.m.listeningPorts()[0]!;
  // The placeholder primary keeps the bridge from flushing its rules when our target is added.
  await sb.vsctl('set-controller', 'br0', 'tcp:127.0.0.1:1', `tcp:127.0.0.1:${port}`);
  await until(() => h.up.has('SW0000000000000001'), 10_000, 'br0 up');
  const sw = h.up.get('SW0000000000000001')!;
  assert.equal(sw.dpid, 1n);
  assert.match(sw.desc!.mfr_desc, /Nicira/);
  assert.deepEqual([...sw.ports.values()].map((p) => p.name).sort(), ['br0', 'p1', 'p2']);
  let row: Awaited<ReturnType<typeof controllers>>[number] | undefined;
  await waitFor('OVS to list ofstats as a connected slave', async () => {
    row = (await controllers(sb)).find((c) => c.target === `tcp:127.0.0.1:${port}`);
    return !!row?.is_connected && row.role === 'slave';
  }, 15_000, 50).catch(() => {});
  assert.deepEqual(row, { target: `tcp:127.0.0.1:${port}`, role: 'slave', is_connected: true });

  // FAKE peers on the same listener: one silent, one sending garbage.
  const silent = createConnection({ host: '127.0.0.1', port });
  const garbage = createConnection({ host: '127.0.0.1', port });
  const closed = new Set<string>();
  for (const [name, s] of [['silent', silent], ['garbage', garbage]] as const) {
    s.on('error', () => {});
    s.on('close', () => closed.add(name));
    s.resume();
  }
  try {
    garbage.on('connect', () => garbage.write('\x04\x00\x00\x02 garbage'));
    // br0 is polled for as long as the fakes are around (the silent one until its handshake
    // times out), and at least 5 times.
    const polls: number[] = [];
    await waitFor('both fakes dropped while br0 is polled', async () => {
      const r = await sw.multipart('PORT_STATS', [{ port_no: 0xffffffff }]);
      polls.push(r.entries.length);
      return polls.length >= 5 && closed.size === 2;
    }, 15_000, 100);
    assert.ok(h.cap.find(/handshake timed out waiting for HELLO/), 'silent peer logged');
    assert.ok(h.cap.find(/peer sent garbage/), 'garbage peer logged');
    assert.ok(polls.length >= 5 && polls.every((n) => n === 3), `br0 kept answering: ${polls}`);
    assert.equal(sw.connected, true);
  } finally {
    silent.destroy();
    garbage.destroy();
  }
});

test('ofstats dials OVS via ptcp: and via the unix BRIDGE.mgmt socket; three bridges polled at once', async () => {
  const p1 = await sb.listen('br1');
  const h = await harness({ connect: [`tcp:127.0.0.1:${p1}`, sb.bridge('br2').mgmt, sb.bridge('br3').mgmt] });
  await until(() => h.up.size === 3, 10_000, 'three bridges up');
  const ids = [...h.up.keys()].sort();
  assert.deepEqual(ids, ['SW0000000000000002', 'SW0000000000000003', 'SW0000000000000004']);
  assert.match(h.up.get('SW0000000000000003')!.peer, /^unix:.*br2\.mgmt$/);
  const tables = await Promise.all([...h.up.values()].map((s) => s.multipart('TABLE')));
  for (const t of tables) assert.equal(t.entries.length, 254);
});

test('multipart FLOW spanning several REPLY_MORE parts reassembles to ovs-ofctl\'s count', async () => {
  const n = 3000;
  const file = join(sb.dir, 'flows.txt');
  writeFileSync(file, Array.from({ length: n }, (_, i) =>
    `table=0,priority=${100 + (i % 7)},cookie=0x${(0x4000000000000000n + BigInt(i)).toString(16)},ip,nw_dst=10.${i >> 8}.${i & 255}.1,actions=output:2`).join('\n'));
  await sb.ofctl('-O', 'OpenFlow13', 'add-flows', sb.bridge('br2').mgmt, file);
  const dump = await sb.ofctl('-O', 'OpenFlow13', 'dump-flows', sb.bridge('br2').mgmt);
  const ofctlCount = dump.split('\n').filter((l) => l.includes('cookie=')).length;
  assert.equal(ofctlCount, n);
  const h = await harness({ connect: [sb.bridge('br2').mgmt] });
  await until(() => h.up.size === 1, 10_000, 'br2 up');
  const r = await h.up.get('SW0000000000000003')!.multipart<{ cookie: bigint }>('FLOW', FLOW_ALL);
  assert.ok(r.parts > 1, `expected several parts, got ${r.parts}`);
  assert.equal(r.entries.length, ofctlCount);
  assert.equal(new Set(r.entries.map((e) => e.cookie)).size, n);

  // The poller's way: every part scanned into one columns object, the same rules as the full decoder's.
  const lean = await h.up.get('SW0000000000000003')!.multipart('FLOW', FLOW_ALL, { lean: true });
  assert.ok(lean.parts > 1, `expected several parts, got ${lean.parts}`);
  assert.deepEqual(lean.entries, []);
  const c = lean.flows!;
  assert.equal(c.length, ofctlCount);
  const fromColumns = Array.from({ length: c.length }, (_, i) =>
    `${c.cookie(i)} table=${c.tableId[i]} priority=${c.priority[i]} packets=${c.packets(i)} bytes=${c.bytes(i)} out=${c.outPort[i]}`);
  const fromFull = r.entries.map((e) => {
    const f = e as unknown as { cookie: bigint; table_id: number; priority: number; packet_count: bigint; byte_count: bigint };
    return `${f.cookie} table=${f.table_id} priority=${f.priority} packets=${f.packet_count} bytes=${f.byte_count} out=2`;
  });
  assert.deepEqual(fromColumns.sort(), fromFull.sort());
});

test('TLS both ways with ovs-pki certificates (pssl: we dial, ssl: OVS dials us); a wrong CA is refused', async () => {
  await sb.vsctl('set-ssl', pki.switch.key, pki.switch.cert, pki.switch.ca);
  const pssl = await freePort();
  await sb.vsctl('set-controller', 'br3', `pssl:${pssl}:127.0.0.1`);
  await waitFor(`OVS listening on pssl:${pssl}`, () => canConnect(pssl), 15_000);
  const h = await harness({ listen: ['ssl:127.0.0.1:0'], connect: [`ssl:127.0.0.1:${pssl}`], tls: pki.controller });
  await until(() => h.up.has('SW0000000000000004'), 10_000, 'br3 up over TLS (we dial)');
  assert.match(h.up.get('SW0000000000000004')!.peer, /^ssl:127\.0\.0\.1:/);
  const port = h.m.listeningPorts()[0]!;
  await sb.vsctl('set-controller', 'br4', 'tcp:127.0.0.1:1', `ssl:127.0.0.1:${port}`);
  await until(() => h.up.has('SW0000000000000005'), 15_000, 'br4 up over TLS (it dials)');
  assert.equal((await h.up.get('SW0000000000000005')!.multipart('DESC')).entries.length, 1);

  // Verifying the switch against a CA that did not sign it: never up, and the log says why.
  const bad = await harness({ connect: [`ssl:127.0.0.1:${pssl}`], tls: { ...pki.controller, ca: pki.otherCa } });
  await until(() => bad.cap.lines.some((l) => /cannot connect|closed/.test(String(l.msg)) && /certificate|verify/i.test(String(l.err))), 5000, 'TLS refusal logged');
  assert.equal(bad.up.size, 0);
  await bad.m.stop();
});

test('a bridge that speaks only OpenFlow 1.0 gets HELLO_FAILED and one clear log line', async () => {
  await sb.vsctl('set', 'bridge', 'br5', 'protocols=OpenFlow10');
  const p = await sb.listen('br5');
  const h = await harness({ connect: [`tcp:127.0.0.1:${p}`] });
  await until(() => !!h.cap.find(/offers no OpenFlow 1\.3/), 5000, 'HELLO_FAILED log line');
  const line = h.cap.find(/offers no OpenFlow 1\.3/)!;
  assert.match(String(line.msg), /versions offered: 1\.0\b/);
  assert.equal(h.up.size, 0);
  await h.m.stop();
});

test('ovs-vswitchd killed mid-poll and restarted: ofstats reconnects and polls again by itself', async () => {
  const p1 = await sb.listen('br1');
  const h = await harness({ connect: [`tcp:127.0.0.1:${p1}`, sb.bridge('br2').mgmt] });
  await until(() => h.up.size === 2, 10_000, 'both up');
  const br2 = h.up.get('SW0000000000000003')!;
  const poll = br2.multipart('FLOW', FLOW_ALL).then(() => 'done', (e: RequestFailure) => e.kind);
  await killVswitchd(sb);
  const outcome = await poll;
  assert.ok(outcome === 'disconnected' || outcome === 'done', outcome);
  await until(() => h.up.size === 0, 5000, 'both down');
  await startVswitchd(sb);
  await until(() => h.up.size === 2, 20_000, 'both back');
  assert.equal(h.ups.length, 4);
  for (const s of h.up.values()) assert.equal((await s.multipart('TABLE')).entries.length, 254);
});
