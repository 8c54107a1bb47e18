/**
 * The scenario's own checks: its parsers read ovs-ofctl's text as OVS 3.1 prints it, traffic
 * really crosses the three bridges, and the refusing proxy is a faithful switch for
 * ovs-ofctl itself (same dumps through it, an error for a refused type).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { parseFlows, parseGroupStats, parseMeterStats, startScenario, type Scenario } from './scenario.js';

const run = promisify(execFile);

test('parsers: ovs-ofctl 3.1 text', () => {
  const flows = parseFlows([
    'OFPST_FLOW reply (OF1.3) (xid=0x2):',
    ' cookie=0x4000000000000001, duration=2.082s, table=0, n_packets=10, n_bytes=1060, priority=100,udp,in_port=1,tp_dst=1001 actions=meter:33,output:20',
    ' cookie=0x8000000000000001, duration=2.070s, table=4, n_packets=0, n_bytes=0, priority=0 actions=drop',
  ].join('\n'));
  assert.deepEqual(flows.map((f) => [f.cookie, f.table, f.packets, f.bytes, f.priority, f.inPort, f.outPort]), [
    [0x4000000000000001n, 0, 10n, 1060n, 100, 1, 20],
    [0x8000000000000001n, 4, 0n, 0n, 0, 0, 0],
  ]);
  const meters = parseMeterStats('OFPST_METER reply (OF1.3) (xid=0x2):\nmeter:33 flow_count:1 packet_in_count:10 byte_in_count:1060 duration:2.125s bands:\n0: packet_count:9 byte_count:954\n');
  assert.deepEqual(meters, [{ id: 33, packetsIn: 10n, bytesIn: 1060n, bands: [{ packets: 9n, bytes: 954n }] }]);
  const groups = parseGroupStats('OFPST_GROUP reply (OF1.3) (xid=0x6):\n group_id=10,duration=2.126s,ref_count=1,packet_count=10,byte_count=1060,bucket0:packet_count=10,byte_count=1060,bucket1:packet_count=3,byte_count=318\n');
  assert.deepEqual(groups, [{ id: 10, packets: 10n, bytes: 1060n, buckets: [{ packets: 10n, bytes: 1060n }, { packets: 3n, bytes: 318n }] }]);
});

let s: Scenario;
before(async () => {
  s = await startScenario({ refuse: ['METER'], fillerRules: 50 });
});
after(async () => {
  await s?.stop();
});

test('traffic injected at SW1 crosses SW2 and SW3; every rule of the description is installed', async () => {
  const t = await s.inject();
  const f1 = (sw: number, table = 0) => t[sw]!.flows.find((f) => f.cookie === 0x4000000000000001n && f.table === table)!;
  assert.equal(f1(0).packets, 6n);
  assert.equal(f1(1, 4).packets, 6n);
  assert.equal(f1(2).packets, 6n);
  for (const r of s.description.rules) {
    assert.ok(t[r.sw]!.flows.some((f) => f.cookie === r.cookie && f.table === r.table), `SW${r.sw + 1} ${r.cookie.toString(16)}`);
  }
  assert.equal(t[0]!.flows.filter((f) => f.table === 1).length, 50);
});

test('the refusing proxy: ovs-ofctl through it sees the same flows, and an error for meter stats', async () => {
  const env = s.ovs.env;
  const direct = await s.ovs.ofctl('-O', 'OpenFlow13', '--no-stats', 'dump-flows', s.bridges[0]!.mgmt);
  const proxied = await run('ovs-ofctl', ['-O', 'OpenFlow13', '--no-stats', 'dump-flows', s.targets[0]!], { env });
  assert.equal(proxied.stdout, direct);
  const refused = await run('ovs-ofctl', ['-O', 'OpenFlow13', 'meter-stats', s.targets[0]!], { env }).then(
    (r) => r.stdout + r.stderr, (e: { stdout: string; stderr: string }) => e.stdout + e.stderr);
  // OVS names code 2 by its OpenFlow 1.0 name (OFPBRC_BAD_STAT); the data decodes as our request.
  assert.match(refused, /OFPT_ERROR \(OF1.3\) \(xid=0x[0-9a-f]+\): OFPBRC_BAD_STAT\nOFPST_METER request/, refused);
  assert.equal(s.proxies[0]!.refused.get(9), 1);
});
