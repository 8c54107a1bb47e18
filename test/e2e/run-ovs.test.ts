/**
 * `ofstats run` (the built CLI) against a real Open vSwitch: three bridges, one with 1,200
 * rules, meters and groups; traffic injected then stopped. Truth is ovs-ofctl's dumps of the
 * same switch; harmlessness is rules/meters/groups unchanged and a capture holding only
 * message types a read-only controller may send.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort, startOvs, type OvsBridge, type OvsSandbox } from '../peers/ovs.js';

const CLI = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));
const OF13 = ['-O', 'OpenFlow13'];
const RULES = 1200;
const MAX_U64 = 0xffffffffffffffffn;

interface Out { status: number | null; stdout: string; stderr: string }

function runCli(args: string[], opts: { killAfterMs?: number; signal?: NodeJS.Signals } = {}): Promise<Out> {
  return new Promise((resolve, reject) => {
    const child: ChildProcess = spawn(process.execPath, [CLI, 'run', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d) => (stdout += d));
    child.stderr!.on('data', (d) => (stderr += d));
    const guard = setTimeout(() => child.kill('SIGKILL'), 30_000);
    if (opts.killAfterMs !== undefined) setTimeout(() => child.kill(opts.signal ?? 'SIGTERM'), opts.killAfterMs);
    child.once('error', reject);
    child.once('close', (status) => {
      clearTimeout(guard);
      resolve({ status, stdout, stderr });
    });
  });
}

interface JsonPoint { metric: string; tags: Record<string, string>; value: string; timestamp: number }
const parsePoints = (s: string): JsonPoint[] => s.split('\n').filter(Boolean).map((l) => JSON.parse(l) as JsonPoint);
const signed = (hex: string) => BigInt.asIntN(64, BigInt(hex)).toString();
const switchIdOf = (b: OvsBridge) => 'SW' + b.dpidHex.toUpperCase();

// ---- ovs-ofctl's dumps, parsed (the truth) ----

interface FlowLine { cookie: string; table: string; packets: bigint; bytes: bigint; inPort: string; outPort: string }
function parseFlows(text: string): FlowLine[] {
  const out: FlowLine[] = [];
  for (const line of text.split('\n')) {
    const m = /cookie=(0x[0-9a-f]+), .*?table=(\d+), n_packets=(\d+), n_bytes=(\d+), (.*) actions=(.*)$/.exec(line);
    if (!m) continue;
    const inPort = /(?:^|,)in_port=(\d+)/.exec(m[5]!)?.[1] ?? '0';
    const outPort = /(?:^|,)output:(\d+)/.exec(m[6]!)?.[1] ?? '0';
    out.push({ cookie: m[1]!, table: m[2]!, packets: BigInt(m[3]!), bytes: BigInt(m[4]!), inPort, outPort });
  }
  return out;
}

/** port number → metric suffix → value (undefined where OVS prints `?`: not kept). */
function parsePorts(text: string): Map<string, Map<string, bigint | undefined>> {
  const ports = new Map<string, Map<string, bigint | undefined>>();
  const v = (s: string) => (s === '?' ? undefined : BigInt(s));
  const re = /port\s+(LOCAL|\d+): rx pkts=(\S+), bytes=(\S+), drop=(\S+), errs=(\S+), frame=(\S+), over=(\S+), crc=(\S+)\s+tx pkts=(\S+), bytes=(\S+), drop=(\S+), errs=(\S+), coll=(\S+)/g;
  for (const m of text.matchAll(re)) {
    const no = m[1] === 'LOCAL' ? '4294967294' : m[1]!;
    const [rxp, rxb, rxd, rxe, fr, ov, crc, txp, txb, txd, txe, coll] = m.slice(2).map((s) => s.replace(/,$/, ''));
    const bits = (b: string) => (b === '?' ? undefined : BigInt(b) * 8n);
    ports.set(no, new Map([
      ['rx-packets', v(rxp!)], ['tx-packets', v(txp!)], ['rx-bytes', v(rxb!)], ['tx-bytes', v(txb!)],
      ['rx-bits', bits(rxb!)], ['tx-bits', bits(txb!)], ['rx-dropped', v(rxd!)], ['tx-dropped', v(txd!)],
      ['rx-errors', v(rxe!)], ['tx-errors', v(txe!)], ['rx-frame-error', v(fr!)], ['rx-over-error', v(ov!)],
      ['rx-crc-error', v(crc!)], ['collisions', v(coll!)],
    ]));
  }
  return ports;
}

function parseTables(text: string): Map<string, { active: bigint; lookup: bigint; matched: bigint }> {
  const tables = new Map<string, { active: bigint; lookup: bigint; matched: bigint }>();
  let prev: { active: bigint; lookup: bigint; matched: bigint } | undefined;
  const re = /table (\d+):\s+active=(\d+), lookup=(\d+), matched=(\d+)|tables (\d+)\.\.\.(\d+): ditto/g;
  for (const m of text.matchAll(re)) {
    if (m[1] !== undefined) {
      prev = { active: BigInt(m[2]!), lookup: BigInt(m[3]!), matched: BigInt(m[4]!) };
      tables.set(m[1], prev);
    } else if (prev) {
      for (let t = Number(m[5]); t <= Number(m[6]); t++) tables.set(String(t), prev);
    }
  }
  return tables;
}

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

async function inject(b: OvsBridge, tpDst: number, count: number): Promise<void> {
  for (let k = 0; k < count; k++) {
    await ovs.appctl('netdev-dummy/receive', b.ports[0]!,
      `in_port(1),eth(src=50:54:00:00:00:01,dst=50:54:00:00:00:02),eth_type(0x0800),ipv4(src=10.0.0.1,dst=10.0.0.2,proto=17,tos=0,ttl=64,frag=no),udp(src=1,dst=${tpDst})`);
  }
}

async function dumps(b: OvsBridge): Promise<{ flows: string; ports: string; tables: string }> {
  const [flows, ports, tables] = await Promise.all([
    ovs.ofctl(...OF13, 'dump-flows', b.mgmt),
    ovs.ofctl(...OF13, 'dump-ports', b.mgmt),
    ovs.ofctl(...OF13, 'dump-tables', b.mgmt),
  ]);
  // Durations move by themselves; the counters must not.
  return { flows: flows.replace(/duration=[\d.]+s, /g, ''), ports: ports.replace(/duration=[\d.]+s/g, ''), tables };
}

async function config(b: OvsBridge): Promise<string> {
  const [f, m, g] = await Promise.all([
    ovs.ofctl(...OF13, '--no-stats', '--sort', 'dump-flows', b.mgmt),
    ovs.ofctl(...OF13, 'dump-meters', b.mgmt),
    ovs.ofctl(...OF13, 'dump-groups', b.mgmt),
  ]);
  return [f, m.replace(/\(xid=0x[0-9a-f]+\)/g, ''), g.replace(/\(xid=0x[0-9a-f]+\)/g, '')].join('\n');
}

/** Flow counters are pushed by OVS's revalidator: wait until two dumps a moment apart agree. */
async function settled(b: OvsBridge): Promise<{ flows: string; ports: string; tables: string }> {
  let last = await dumps(b);
  for (let i = 0; i < 40; i++) {
    await sleep(400);
    const now = await dumps(b);
    if (now.flows === last.flows && now.ports === last.ports && now.tables === last.tables) return now;
    last = now;
  }
  throw new Error('OVS counters did not settle');
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
  const truth = await Promise.all([br0, br1, br2].map(settled));
  const r = await runCli(['--once', '--output', 'json', '--connect', br0.mgmt,
    '--connect', `tcp:127.0.0.1:${port1}`, '--connect', `tcp:127.0.0.1:${port2}`]);
  assert.equal(r.status, 0, r.stderr);
  const after = await Promise.all([br0, br1, br2].map(dumps));
  assert.deepEqual(after, truth, 'counters moved while ofstats polled: the comparison would mean nothing');
  const points = parsePoints(r.stdout);
  const polled = r.stderr.split('\n').filter((l) => l.includes('"polled once"')).map((l) => JSON.parse(l) as { switchId: string; ok: string[] });
  assert.equal(polled.length, 3);
  for (const p of polled) assert.equal(p.ok.length, 9, `${p.switchId}: every stat type, meters and groups included`);

  [br0, br1, br2].forEach((b, i) => {
    const sw = switchIdOf(b);
    const mine = points.filter((p) => p.tags.switchid === sw);
    const val = (metric: string, pred: (t: Record<string, string>) => boolean) => mine.filter((p) => p.metric === metric && pred(p.tags));

    // Flows, rule by rule (every rule has its own cookie).
    const flows = parseFlows(truth[i]!.flows);
    if (b === br0) assert.equal(flows.length, RULES + 1);
    let traffic = 0n;
    for (const f of flows) {
      const service = BigInt(f.cookie) >= 0x8000000000000000n;
      const expect = [['packets', f.packets], ['bytes', f.bytes], ['bits', f.bytes * 8n]] as const;
      for (const [suffix, v] of expect) {
        const got = service
          ? val(`switch.flow.system.${suffix}`, (t) => t.cookieHex === '0x' + BigInt(f.cookie).toString(16).toUpperCase().padStart(16, '0'))
          : val(`flow.raw.${suffix}`, (t) => t.cookie === signed(f.cookie));
        assert.equal(got.length, 1, `${sw} ${f.cookie} ${suffix}`);
        assert.equal(got[0]!.value, v.toString(), `${sw} ${f.cookie} ${suffix}`);
        if (!service) {
          assert.equal(got[0]!.tags.tableid, f.table);
          assert.equal(got[0]!.tags.inPort, f.inPort, `${f.cookie} inPort`);
          assert.equal(got[0]!.tags.outPort, f.outPort, `${f.cookie} outPort`);
          assert.equal(got[0]!.tags.flowid, 'unknown');
        }
      }
      traffic += f.packets;
    }
    assert.equal(mine.filter((p) => p.metric.startsWith('flow.raw.') || p.metric.startsWith('switch.flow.system.')).length, flows.length * 3);
    if (b === br0) assert.ok(traffic >= 24n, 'the injected traffic shows in the flow counters');

    // Ports: every counter OVS keeps; none of those it prints as `?`.
    const ports = parsePorts(truth[i]!.ports);
    assert.equal(ports.size, 3);
    for (const [no, counters] of ports) {
      for (const [suffix, v] of counters) {
        const got = val(`switch.${suffix}`, (t) => t.port === no);
        if (v === undefined) assert.equal(got.length, 0, `${sw} port ${no} ${suffix} is not kept by OVS`);
        else assert.deepEqual(got.map((p) => p.value), [v.toString()], `${sw} port ${no} ${suffix}`);
      }
    }
    assert.equal(mine.filter((p) => p.metric.startsWith('switch.') && p.tags.port !== undefined).length,
      [...ports.values()].reduce((n, c) => n + [...c.values()].filter((v) => v !== undefined).length, 0));

    // Tables: those with rules, missed = lookup - matched.
    const tables = parseTables(truth[i]!.tables);
    assert.ok(tables.size >= 254);
    const used = [...tables].filter(([, t]) => t.active > 0n);
    assert.equal(used.length, 2);
    for (const [id, t] of used) {
      for (const [suffix, v] of [['active', t.active], ['lookup', t.lookup], ['matched', t.matched], ['missed', t.lookup - t.matched]] as const) {
        assert.deepEqual(val(`switch.table.${suffix}`, (x) => x.tableid === id).map((p) => p.value), [v.toString()], `${sw} table ${id} ${suffix}`);
      }
    }
    assert.equal(mine.filter((p) => p.metric.startsWith('switch.table.')).length, used.length * 4);
  });
  for (const p of points) assert.notEqual(p.value, MAX_U64.toString());
});

async function capture(ports: number[], file: string): Promise<{ stop(): Promise<void> }> {
  const child = spawn('tshark', ['-q', '-i', 'lo', '-f', ports.map((p) => `tcp port ${p}`).join(' or '), '-w', file], { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  child.stderr!.on('data', (d) => (err += d));
  for (let i = 0; i < 200 && !/Capturing on/.test(err); i++) await sleep(50);
  assert.match(err, /Capturing on/, err);
  return {
    async stop() {
      await sleep(300);
      const done = new Promise((r) => child.once('close', r));
      child.kill('SIGINT');
      await done;
    },
  };
}

function tsharkTypes(file: string, ports: number[]): Promise<{ fromUs: number[]; fromSwitch: number[] }> {
  return new Promise((resolve, reject) => {
    const args = ['-r', file, ...ports.flatMap((p) => ['-d', `tcp.port==${p},openflow`]), '-Y', 'openflow_v4',
      '-T', 'fields', '-E', 'occurrence=a', '-E', 'aggregator=,', '-e', 'tcp.dstport', '-e', 'openflow_v4.type'];
    const child = spawn('tshark', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout!.on('data', (d) => (out += d));
    child.once('error', reject);
    child.once('close', () => {
      const fromUs: number[] = [];
      const fromSwitch: number[] = [];
      for (const line of out.split('\n').filter(Boolean)) {
        const [dst, types] = line.split('\t');
        const list = (types ?? '').split(',').filter(Boolean).map(Number);
        (ports.includes(Number(dst)) ? fromUs : fromSwitch).push(...list);
      }
      resolve({ fromUs, fromSwitch });
    });
  });
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
  const cap = await capture(ports, pcap);
  const r = await runCli(['--interval', '1', '--output', 'line', ...ports.flatMap((p) => ['--connect', `tcp:127.0.0.1:${p}`])],
    { killAfterMs: 4_000, signal: 'SIGTERM' });
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
  const run = runCli(['--once', '--wait', '3', '--output', 'json', '--listen', `127.0.0.1:${listenPort}`]);
  // The placeholder comes first, so adding ofstats is not the bridge's first primary controller.
  await ovs.vsctl('set-controller', br2.name, 'tcp:127.0.0.1:1', `ptcp:${port2}:127.0.0.1`, `tcp:127.0.0.1:${listenPort}`);
  let role = '';
  for (let i = 0; i < 60 && !/slave/.test(role); i++) {
    await sleep(50);
    role = await ovs.vsctl('--columns=target,role,is_connected', 'list', 'controller');
  }
  assert.match(role, new RegExp(`target\\s+: "tcp:127.0.0.1:${listenPort}"\\s+role\\s+: slave|role\\s+: slave\\s+target\\s+: "tcp:127.0.0.1:${listenPort}"`), role);
  const r = await run;
  assert.equal(r.status, 0, r.stderr);
  const points = parsePoints(r.stdout);
  assert.ok(points.some((p) => p.metric === 'flow.raw.packets' && p.tags.switchid === switchIdOf(br2)));
  assert.ok(points.some((p) => p.metric === 'switch.table.active' && p.tags.switchid === switchIdOf(br2)));
  assert.deepEqual(await config(br2), before);
});
