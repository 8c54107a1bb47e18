/**
 * `ofstats run` (the built CLI) against a real Open vSwitch: three bridges, one with 1,200
 * rules, meters and groups; traffic injected then stopped. Truth is ovs-ofctl's dumps of the
 * same switch; harmlessness is rules/meters/groups unchanged and a capture holding only
 * message types a read-only controller may send.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startCapture, tsharkMessages } from '../capture/tshark.js';
import { controllers } from '../peers/ovs-extra.js';
import { freePort, settle, startOvs, type OvsBridge, type OvsSandbox } from '../peers/ovs.js';
import { dumpSwitch, portMetrics, type SwitchTruth } from '../peers/scenario.js';
import { jsonPoints, runCli as cli, type RunOptions } from '../support/cli.js';
import { listening } from '../support/net.js';
import { waitFor } from '../support/wait.js';

const OF13 = ['-O', 'OpenFlow13'];
const RULES = 1200;
const MAX_U64 = 0xffffffffffffffffn;

const runCli = (args: string[], opts?: RunOptions) => cli(['run', ...args], opts);
const signed = (c: bigint) => BigInt.asIntN(64, c).toString();
const hex16 = (c: bigint) => '0x' + c.toString(16).toUpperCase().padStart(16, '0');
const switchIdOf = (b: OvsBridge) => 'SW' + b.dpidHex.toUpperCase();

// ---- the switch ----

let ovs: OvsSandbox;
let br0: OvsBridge, br1: OvsBridge, br2: OvsBridge;
let port1 = 0, port2 = 0;

function cookieFor(i: number): bigint {
  if (i % 100 === 0) return 0x8000000000000000n + BigInt(i); // service rule
  if (i % 37 === 0) return 0x4004000000000000n + BigInt(i); // mirror satellite
  if (i % 3 === 0) return 0x2000000000000000n + BigInt(i); // reverse
  return 0x4000000000000000n + BigInt(i); // forward
}

function ruleFile(bridge: OvsBridge, n: number): string {
  const lines = [`table=0,priority=1,cookie=0x4000000000000fff,actions=goto_table:1`];
  for (let i = 1; i <= n; i++) {
    const table = i < n - 100 ? 0 : 1;
    const match = table === 0 ? `udp,in_port=1,tp_dst=${i}` : `udp,tp_dst=${i}`;
    const actions = table === 1 ? 'drop' : i % 10 === 1 ? `meter:${33 + (i % 5)},output:2` : i % 7 === 2 ? `group:${1 + (i % 5)}` : 'output:2';
    lines.push(`table=${table},priority=100,cookie=0x${cookieFor(i).toString(16)},${match},actions=${actions}`);
  }
  const f = join(ovs.dir, `${bridge.name}.flows`);
  writeFileSync(f, lines.join('\n') + '\n');
  return f;
}

async function load(b: OvsBridge, rules: number): Promise<void> {
  for (let m = 33; m < 38; m++) await ovs.ofctl(...OF13, 'add-meter', b.mgmt, `meter=${m} kbps burst stats bands=type=drop rate=5000 burst_size=500`);
  for (let g = 1; g <= 5; g++) await ovs.ofctl(...OF13, 'add-group', b.mgmt, `group_id=${g},type=all,bucket=output:1,bucket=output:2`);
  await ovs.ofctl(...OF13, 'add-flows', b.mgmt, ruleFile(b, rules));
}

/** Packets sent per bridge: each meets exactly one table-0 rule (there is a catch-all). */
const sent = new Map<OvsBridge, bigint>();

async function inject(b: OvsBridge, tpDst: number, count: number): Promise<void> {
  const pkt = `in_port(1),eth(src=50:54:00:00:00:01,dst=50:54:00:00:00:02),eth_type(0x0800),ipv4(src=10.0.0.1,dst=10.0.0.2,proto=17,tos=0,ttl=64,frag=no),udp(src=1,dst=${tpDst})`;
  await ovs.appctl('netdev-dummy/receive', b.ports[0]!, ...Array.from({ length: count }, () => pkt));
  sent.set(b, (sent.get(b) ?? 0n) + BigInt(count));
}

const dumps = (bridges: OvsBridge[]) => Promise.all(bridges.map((b) => dumpSwitch(ovs, b)));

/** The dumps once every packet sent is counted by the rules and the counters stay put. */
function settled(bridges: OvsBridge[]): Promise<SwitchTruth[]> {
  return settle(ovs, () => dumps(bridges), (t) => t.every((s, i) =>
    s.flows.filter((f) => f.table === 0).reduce((n, f) => n + f.packets, 0n) === (sent.get(bridges[i]!) ?? 0n)));
}

async function config(b: OvsBridge): Promise<string> {
  const [f, m, g] = await Promise.all([
    ovs.ofctl(...OF13, '--no-stats', '--sort', 'dump-flows', b.mgmt),
    ovs.ofctl(...OF13, 'dump-meters', b.mgmt),
    ovs.ofctl(...OF13, 'dump-groups', b.mgmt),
  ]);
  return [f, m.replace(/\(xid=0x[0-9a-f]+\)/g, ''), g.replace(/\(xid=0x[0-9a-f]+\)/g, '')].join('\n');
}

before(async () => {
  ovs = await startOvs({ bridges: 3, portsPerBridge: 2 });
  [br0, br1, br2] = ovs.bridges as [OvsBridge, OvsBridge, OvsBridge];
  // br2 gets a placeholder primary controller before any rule: the last test adds ofstats as a
  // second one, which (unlike the first) does not make OVS delete the rules (real-peers.md).
  port2 = await freePort();
  await ovs.vsctl('set-controller', br2.name, 'tcp:127.0.0.1:1', `ptcp:${port2}:127.0.0.1`);
  await load(br0, RULES);
  await load(br1, 20);
  await load(br2, 20);
  port1 = await ovs.listen(br1.name);
  await inject(br0, 5, 10);
  await inject(br0, 11, 7);
  await inject(br0, RULES - 50, 4);
  await inject(br0, 99_999 % 65536, 3);
  await inject(br1, 5, 2);
});

after(async () => {
  await ovs?.stop();
});

test('--once on three bridges at once: every flow, port and table counter equals ovs-ofctl', async () => {
  const truth = await settled([br0, br1, br2]);
  const r = await runCli(['--once', '--output', 'json', '--connect', br0.mgmt,
    '--connect', `tcp:127.0.0.1:${port1}`, '--connect', `tcp:127.0.0.1:${port2}`]);
  assert.equal(r.status, 0, r.stderr);
  const after = await dumps([br0, br1, br2]);
  assert.deepEqual(after, truth, 'counters moved while ofstats polled: the comparison would mean nothing');
  const points = jsonPoints(r.stdout);
  const polled = r.stderr.split('\n').filter((l) => l.includes('"polled once"')).map((l) => JSON.parse(l) as { switchId: string; ok: string[] });
  assert.equal(polled.length, 3);
  for (const p of polled) assert.equal(p.ok.length, 9, `${p.switchId}: every stat type, meters and groups included`);

  [br0, br1, br2].forEach((b, i) => {
    const sw = switchIdOf(b);
    const mine = points.filter((p) => p.tags.switchid === sw);
    const val = (metric: string, pred: (t: Record<string, string>) => boolean) => mine.filter((p) => p.metric === metric && pred(p.tags));

    // Flows, rule by rule (every rule has its own cookie).
    const flows = truth[i]!.flows;
    if (b === br0) assert.equal(flows.length, RULES + 1);
    let traffic = 0n;
    for (const f of flows) {
      const service = f.cookie >= 0x8000000000000000n;
      const expect = [['packets', f.packets], ['bytes', f.bytes], ['bits', f.bytes * 8n]] as const;
      for (const [suffix, v] of expect) {
        const got = service
          ? val(`switch.flow.system.${suffix}`, (t) => t.cookieHex === hex16(f.cookie))
          : val(`flow.raw.${suffix}`, (t) => t.cookie === signed(f.cookie));
        assert.equal(got.length, 1, `${sw} ${hex16(f.cookie)} ${suffix}`);
        assert.equal(got[0]!.value, v.toString(), `${sw} ${hex16(f.cookie)} ${suffix}`);
        if (!service) {
          assert.equal(got[0]!.tags.tableid, String(f.table));
          assert.equal(got[0]!.tags.inPort, String(f.inPort), `${hex16(f.cookie)} inPort`);
          assert.equal(got[0]!.tags.outPort, String(f.outPort), `${hex16(f.cookie)} outPort`);
          assert.equal(got[0]!.tags.flowid, 'unknown');
        }
      }
      traffic += f.packets;
    }
    assert.equal(mine.filter((p) => p.metric.startsWith('flow.raw.') || p.metric.startsWith('switch.flow.system.')).length, flows.length * 3);
    if (b === br0) assert.ok(traffic >= 24n, 'the injected traffic shows in the flow counters');

    // Ports: every counter OVS keeps; none of those it prints as `?`.
    const ports = truth[i]!.ports;
    assert.equal(ports.length, 3);
    for (const port of ports) {
      const no = String(port.port);
      for (const [suffix, v] of portMetrics(port)) {
        const got = val(`switch.${suffix}`, (t) => t.port === no);
        if (v === undefined) assert.equal(got.length, 0, `${sw} port ${no} ${suffix} is not kept by OVS`);
        else assert.deepEqual(got.map((p) => p.value), [v.toString()], `${sw} port ${no} ${suffix}`);
      }
    }
    assert.equal(mine.filter((p) => p.metric.startsWith('switch.') && p.tags.port !== undefined).length,
      ports.reduce((n, p) => n + [...portMetrics(p).values()].filter((v) => v !== undefined).length, 0));

    // Tables: those with rules, missed = lookup - matched.
    const tables = truth[i]!.tables;
    assert.deepEqual(tables.map((t) => t.table), Array.from({ length: 254 }, (_, n) => n));
    const used = tables.filter((t) => t.active > 0n);
    assert.equal(used.length, 2);
    for (const t of used) {
      const id = String(t.table);
      for (const [suffix, v] of [['active', t.active], ['lookup', t.lookup], ['matched', t.matched], ['missed', t.lookup - t.matched]] as const) {
        assert.deepEqual(val(`switch.table.${suffix}`, (x) => x.tableid === id).map((p) => p.value), [v.toString()], `${sw} table ${id} ${suffix}`);
      }
    }
    assert.equal(mine.filter((p) => p.metric.startsWith('switch.table.')).length, used.length * 4);
  });
  for (const p of points) assert.notEqual(p.value, MAX_U64.toString());
});

/** OpenFlow message types in a capture: those sent to `ports` (by us), and the others (by the switches). */
async function tsharkTypes(file: string, ports: number[]): Promise<{ fromUs: number[]; fromSwitch: number[] }> {
  const msgs = await tsharkMessages(file, ports);
  const toUs = (m: { dst: string }) => ports.includes(Number(m.dst.slice(m.dst.lastIndexOf(':') + 1)));
  return { fromUs: msgs.filter(toUs).map((m) => m.type), fromSwitch: msgs.filter((m) => !toUs(m)).map((m) => m.type) };
}

// What a read-only controller may send: HELLO, ERROR, ECHO_REQUEST/REPLY, FEATURES_REQUEST,
// GET_CONFIG_REQUEST, MULTIPART_REQUEST, BARRIER_REQUEST, QUEUE_GET_CONFIG_REQUEST,
// ROLE_REQUEST, GET_ASYNC_REQUEST (OpenFlow 1.3.5 §7.1 numbering).
const READ_ONLY_TYPES = new Set([0, 1, 2, 3, 5, 7, 18, 20, 22, 24, 26]);

test('harmless: a few poll rounds leave rules, meters and groups as they were; the capture holds only read-only messages', async () => {
  const port0 = await ovs.listen(br0.name);
  const bridges = [br0, br1, br2];
  const before = await Promise.all(bridges.map(config));
  const pcap = join(ovs.dir, 'session.pcapng');
  const ports = [port0, port1, port2];
  const cap = await startCapture({ ifaces: ['lo'], filter: ports.map((p) => `tcp port ${p}`).join(' or '), file: pcap });
  const r = await runCli(['--interval', '1', '--output', 'line', ...ports.flatMap((p) => ['--connect', `tcp:127.0.0.1:${p}`])],
    { stopAfterMs: 4_000, signal: 'SIGTERM' });
  await cap.stop();
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /"msg":"stopped"/);
  const lines = r.stdout.split('\n').filter(Boolean);
  // Line protocol: measurement[,tags] value=<int>i <ms>.
  for (const l of lines) assert.match(l, /^[^ ]+ value=-?\d+i \d{13}$/);
  const ok = lines.filter((l) => l.startsWith('ofstats.polls.ok ')).map((l) => Number(/value=(\d+)i/.exec(l)![1]));
  assert.ok(ok.length >= 1);
  assert.ok(Math.max(...ok) >= 3 * 9 * 2, `several rounds on every bridge: ${ok}`);
  assert.ok(lines.some((l) => l.startsWith('flow.raw.packets,') && l.includes('switchid=SW0000000000000003')));

  const after = await Promise.all(bridges.map(config));
  assert.deepEqual(after, before);
  assert.ok(existsSync(pcap));
  const { fromUs, fromSwitch } = await tsharkTypes(pcap, ports);
  assert.ok(fromUs.filter((t) => t === 18).length >= 3 * 9 * 2, 'multipart requests are in the capture');
  assert.ok(fromSwitch.includes(19), 'multipart replies are in the capture');
  assert.ok(fromUs.includes(24), 'the role request is in the capture');
  const forbidden = fromUs.filter((t) => !READ_ONLY_TYPES.has(t));
  assert.deepEqual([...new Set(forbidden)], [], 'message types a read-only controller may not send');
});

test('the switch dials ofstats (placeholder primary controller first): role slave, rules kept, --once --wait', async () => {
  const listenPort = await freePort();
  const before = await config(br2);
  // ofstats waits --wait seconds from when it listens; OVS dials a new target at once but backs
  // off (1, 2, 4 s) after a refusal: so the controller is set only once ofstats listens.
  const run = runCli(['--once', '--wait', '6', '--output', 'json', '--listen', `127.0.0.1:${listenPort}`]);
  await waitFor(`ofstats listening on ${listenPort}`, () => listening(listenPort), 15_000);
  // The placeholder comes first, so adding ofstats is not the bridge's first primary controller.
  await ovs.vsctl('set-controller', br2.name, 'tcp:127.0.0.1:1', `ptcp:${port2}:127.0.0.1`, `tcp:127.0.0.1:${listenPort}`);
  const target = `tcp:127.0.0.1:${listenPort}`;
  let rows: Awaited<ReturnType<typeof controllers>> = [];
  await waitFor(`OVS to list ${target} as a connected slave`, async () => {
    rows = await controllers(ovs);
    return rows.some((c) => c.target === target && c.role === 'slave' && c.is_connected);
  }, 15_000, 50).catch((e: Error) => assert.fail(`${e.message}: ${JSON.stringify(rows)}`));
  const r = await run;
  assert.equal(r.status, 0, r.stderr);
  const points = jsonPoints(r.stdout);
  assert.ok(points.some((p) => p.metric === 'flow.raw.packets' && p.tags.switchid === switchIdOf(br2)));
  assert.ok(points.some((p) => p.metric === 'switch.table.active' && p.tags.switchid === switchIdOf(br2)));
  assert.deepEqual(await config(br2), before);
});
