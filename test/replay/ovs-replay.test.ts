/**
 * Record a real Open vSwitch with tshark while `ofstats run --once` and ovs-ofctl poll it, then
 * replay the capture: the same controllers against the replayed switch print the same
 * counters as against the real one. Traffic is injected between two recorded polls, so the
 * capture holds counter rates for --advance.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { copyFileSync, writeFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { counted, parseFlows } from '../peers/ovs-dumps.js';
import { settle, startOvs, type OvsBridge, type OvsSandbox } from '../peers/ovs.js';
import { freePort, listening } from '../support/net.js';
import { waitFor } from '../support/wait.js';
import { startCapture } from '../capture/tshark.js';
import { pointKey, runOfstats, startReplay, switchPoints, type JsonPoint, type ReplayProcess } from './helpers.js';

const OF13 = ['-O', 'OpenFlow13'];
const DUMPS = ['dump-flows', 'dump-ports', 'dump-tables'] as const;

let ovs: OvsSandbox;
let br0: OvsBridge;
let pcap: string;
/** What the real switch gave, while it was being recorded. */
const real: { points: JsonPoint[]; dumps: Record<string, string>; refused: string; switchId: string } = {
  points: [], dumps: {}, refused: '', switchId: '',
};

/** Packets sent into port 1 so far: each meets exactly one table-0 rule. */
let sent = 0n;

async function inject(tpDst: number, count: number): Promise<void> {
  const pkt = `in_port(1),eth(src=50:54:00:00:00:01,dst=50:54:00:00:00:02),eth_type(0x0800),ipv4(src=10.0.0.1,dst=10.0.0.2,proto=17,tos=0,ttl=64,frag=no),udp(src=1,dst=${tpDst})`;
  await ovs.appctl('netdev-dummy/receive', br0.ports[0]!, ...Array.from({ length: count }, () => pkt));
  sent += BigInt(count);
}

/** Until every packet sent is counted by the rules and the counters stay put. */
async function settled(): Promise<void> {
  await settle(ovs, async () => parseFlows(await ovs.ofctl(...OF13, 'dump-flows', br0.mgmt)),
    (flows) => counted(flows).reduce((n, f) => n + f.packets, 0n) === sent);
}

const once = async (target: string) => {
  const r = await runOfstats(['--once', '--output', 'json', '--log-level', 'warn', '--connect', target]);
  assert.equal(r.status, 0, r.stderr);
  return switchPoints(r.stdout);
};
const cookieOf = (i: number) => `0x${(0x4000000000000000n + BigInt(i)).toString(16)}`;
const signed = (hex: string) => BigInt.asIntN(64, BigInt(hex)).toString();
const flowPackets = (points: JsonPoint[], i: number) =>
  points.find((p) => p.metric === 'flow.raw.packets' && p.tags.cookie === signed(cookieOf(i)))?.value;

before(async () => {
  ovs = await startOvs({ bridges: 1, portsPerBridge: 2 });
  br0 = ovs.bridges[0]!;
  real.switchId = 'SW' + br0.dpidHex.toUpperCase();
  await ovs.ofctl(...OF13, 'add-meter', br0.mgmt, 'meter=33 kbps burst stats bands=type=drop rate=5000 burst_size=500');
  await ovs.ofctl(...OF13, 'add-group', br0.mgmt, 'group_id=7,type=all,bucket=output:1,bucket=output:2');
  const rules = Array.from({ length: 20 }, (_, k) => {
    const i = k + 1;
    const action = i === 5 ? 'meter:33,output:2' : i === 6 ? 'group:7' : 'output:2';
    return `table=0,priority=100,cookie=${cookieOf(i)},udp,in_port=1,tp_dst=${i},actions=${action}`;
  });
  const file = join(ovs.dir, 'rules');
  writeFileSync(file, rules.join('\n') + '\n');
  await ovs.ofctl(...OF13, 'add-flows', br0.mgmt, file);
  const port = await ovs.listen(br0.name);
  const target = `tcp:127.0.0.1:${port}`;
  await inject(5, 4);
  await inject(6, 3);
  await inject(7, 2);
  await settled();

  pcap = join(ovs.dir, 'session.pcapng');
  const cap = await startCapture({ ifaces: ['lo'], filter: `tcp port ${port}`, file: pcap });
  try {
    await once(target); // the first poll: rates come from it and the ones below
    await sleep(1100);
    await inject(5, 5);
    await inject(6, 2);
    await settled();
    real.points = await once(target);
    for (const d of DUMPS) real.dumps[d] = await ovs.ofctl(...OF13, d, target);
    // OVS refuses queue stats for a port it does not have.
    real.refused = await ovs.ofctl(...OF13, 'queue-stats', target, '99');
  } finally {
    await cap.stop();
  }
  assert.match(real.refused, /OFPQOFC_BAD_PORT/);
  // To look at what was recorded: OFSTATS_KEEP_CAPTURE=/tmp/session.pcapng.
  if (process.env.OFSTATS_KEEP_CAPTURE) copyFileSync(pcap, process.env.OFSTATS_KEEP_CAPTURE);
});

after(async () => {
  await ovs?.stop();
});

const withoutXid = (s: string) => s.replace(/\(xid=0x[0-9a-f]+\)/g, '');

test('ovs-ofctl dump-flows, dump-ports, dump-tables print the same as against the real switch', async () => {
  const r = await startReplay([pcap, '--listen', '127.0.0.1:0']);
  try {
    assert.equal(r.targets.length, 1);
    for (const d of DUMPS) {
      const got = await ovs.ofctl(...OF13, d, r.targets[0]!);
      assert.equal(withoutXid(got), withoutXid(real.dumps[d]!), d);
    }
    assert.match(real.dumps['dump-flows']!, /n_packets=9,/, 'the recorded flows carry the injected traffic');
  } finally {
    await r.stop();
  }
});

test('ofstats run --once against the replay prints the same points as against the real switch', async () => {
  const r = await startReplay([pcap, '--listen', '127.0.0.1:0']);
  try {
    const got = await once(r.targets[0]!);
    assert.ok(real.points.length > 30);
    assert.deepEqual(got.map(pointKey).sort(), real.points.map(pointKey).sort());
    assert.ok(got.every((p) => p.tags.switchid === undefined || p.tags.switchid === real.switchId));
  } finally {
    await r.stop();
  }
});

test('--switches 3: three switches with distinct switch ids, each with the recorded points', async () => {
  const r = await startReplay([pcap, '--listen', '127.0.0.1:0', '--switches', '3']);
  try {
    assert.equal(r.targets.length, 3);
    assert.equal(new Set(r.targets).size, 3);
    const res = await runOfstats(['--once', '--output', 'json', '--log-level', 'warn', ...r.targets.flatMap((t) => ['--connect', t])]);
    assert.equal(res.status, 0, res.stderr);
    const points = switchPoints(res.stdout);
    const ids = [...new Set(points.map((p) => p.tags.switchid).filter((s): s is string => s !== undefined))].sort();
    assert.deepEqual(ids, ['SW0000000000000001', 'SW0000000000000002', 'SW0000000000000003']);
    const recorded = real.points.map((p) => pointKey({ ...p, tags: { ...p.tags, switchid: '' } })).sort();
    for (const id of ids) {
      const mine = points.filter((p) => p.tags.switchid === id).map((p) => pointKey({ ...p, tags: { ...p.tags, switchid: '' } })).sort();
      assert.deepEqual(mine, recorded, id);
    }
  } finally {
    await r.stop();
  }
});

test('--connect: each replayed switch dials the controller', async () => {
  const port = await freePort();
  const run = runOfstats(['--once', '--wait', '4', '--output', 'json', '--log-level', 'warn', '--listen', `127.0.0.1:${port}`]);
  await waitFor(`ofstats listening on ${port}`, () => listening(port));
  const r = await startReplay([pcap, '--connect', `tcp:127.0.0.1:${port}`, '--switches', '2', '--dpid-base', '0xabc']);
  try {
    const res = await run;
    assert.equal(res.status, 0, res.stderr);
    const ids = [...new Set(switchPoints(res.stdout).map((p) => p.tags.switchid).filter(Boolean))].sort();
    assert.deepEqual(ids, ['SW0000000000000ABC', 'SW0000000000000ABD']);
  } finally {
    await r.stop();
  }
});

test('--advance: counters grow between two polls at the recorded rates', async () => {
  const r = await startReplay([pcap, '--listen', '127.0.0.1:0', '--advance']);
  try {
    const first = await once(r.targets[0]!);
    await sleep(2100);
    const second = await once(r.targets[0]!);
    const recorded = (i: number) => BigInt(flowPackets(real.points, i)!);
    // Rule 5 got 5 packets between the recorded polls: it keeps growing.
    assert.ok(BigInt(flowPackets(first, 5)!) >= recorded(5));
    assert.ok(BigInt(flowPackets(second, 5)!) > BigInt(flowPackets(first, 5)!), 'rule 5 grows');
    // Rule 7 got nothing between them: its recorded rate is zero.
    assert.equal(flowPackets(second, 7), flowPackets(real.points, 7));
    const rx = (pts: JsonPoint[]) => BigInt(pts.find((p) => p.metric === 'switch.rx-packets' && p.tags.port === '1')!.value);
    assert.ok(rx(second) > rx(first), 'port 1 rx packets grow');
  } finally {
    await r.stop();
  }
});

test('a request the switch refused is refused the same way; a stat type never recorded gets BAD_MULTIPART', async () => {
  const r = await startReplay([pcap, '--listen', '127.0.0.1:0']);
  try {
    const refused = await ovs.ofctl(...OF13, 'queue-stats', r.targets[0]!, '99');
    assert.equal(withoutXid(refused), withoutXid(real.refused));
    const never = await ovs.ofctl(...OF13, 'dump-table-features', r.targets[0]!).catch((e: Error) => e.message);
    // OVS prints BAD_REQUEST code 2 (OFPBRC_BAD_MULTIPART in 1.3) by its OpenFlow 1.0 name.
    assert.match(never, /OFPT_ERROR .*OFPBRC_BAD_STAT\n/);
  } finally {
    await r.stop();
  }
});
