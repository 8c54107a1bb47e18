/**
 * The ovs-ofctl dump parsers on text Open vSwitch 3.1 printed here: dumps of a sandboxed
 * bridge (default priority, flow flags, reserved ports, --names, every ditto form), and
 * `ovs-ofctl ofp-print` of replies carrying all-ones counters (what OVS prints as `?` or
 * leaves out). Then live: a sandbox's dumps parsed, checked against OVS's own aggregate.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  DEFAULT_PRIORITY, RESERVED_PORTS, counted, parseFlows, parseGroupStats, parseMeterStats, parsePorts, parsePortsDesc,
  parseTables, portNumbers,
} from './ovs-dumps.js';
import { startOvs, type OvsSandbox } from './ovs.js';

const LOCAL = RESERVED_PORTS.LOCAL!;

const FLOWS = `OFPST_FLOW reply (OF1.3) (xid=0x2):
 cookie=0x2, duration=1.530s, table=0, n_packets=1, n_bytes=106, in_port=2 actions=group:7
 cookie=0x4000000000000001, duration=1.530s, table=0, n_packets=3, n_bytes=318, priority=100,udp,in_port=1,tp_dst=1001 actions=meter:1,output:2
 cookie=0x3, duration=1.530s, table=0, n_packets=0, n_bytes=0, idle_timeout=300, hard_timeout=600, send_flow_rem reset_counts priority=50,ip,nw_dst=10.0.0.1 actions=LOCAL
 cookie=0x8000000000000001, duration=1.530s, table=0, n_packets=0, n_bytes=0, priority=0 actions=drop
 cookie=0x0, duration=1.530s, table=3, n_packets=0, n_bytes=0, priority=10 actions=goto_table:4
 cookie=0x5, duration=1.529s, table=4, n_packets=0, n_bytes=0, priority=10,in_port=LOCAL actions=output:1,output:3
 cookie=0xffffffffffffffff, duration=1.529s, table=200, n_packets=0, n_bytes=0, priority=1 actions=CONTROLLER:65535
`;

/** The same bridge with `--names`, after naming table 4 `classifier` in its Flow_Table column. */
const FLOWS_NAMED = `
 cookie=0x2, duration=1.610s, table=0, n_packets=1, n_bytes=106, in_port=p2 actions=group:7
 cookie=0x4000000000000001, duration=1.610s, table=0, n_packets=3, n_bytes=318, priority=100,udp,in_port=p1,tp_dst=1001 actions=meter:1,output:p2
 cookie=0x3, duration=1.610s, table=0, n_packets=0, n_bytes=0, idle_timeout=300, hard_timeout=600, send_flow_rem reset_counts priority=50,ip,nw_dst=10.0.0.1 actions=LOCAL
 cookie=0x8000000000000001, duration=1.610s, table=0, n_packets=0, n_bytes=0, priority=0 actions=drop
 cookie=0x0, duration=1.610s, table=3, n_packets=0, n_bytes=0, priority=10 actions=goto_table:classifier
 cookie=0x5, duration=1.609s, table=classifier, n_packets=0, n_bytes=0, priority=10,in_port=LOCAL actions=output:p1,output:p3
 cookie=0xffffffffffffffff, duration=1.609s, table=200, n_packets=0, n_bytes=0, priority=1 actions=CONTROLLER:65535
`;

const PORTS = `OFPST_PORT reply (OF1.3) (xid=0x2): 4 ports
  port LOCAL: rx pkts=0, bytes=0, drop=?, errs=?, frame=?, over=?, crc=?
           tx pkts=0, bytes=0, drop=?, errs=?, coll=?
           duration=1.594s
  port  1: rx pkts=3, bytes=318, drop=?, errs=?, frame=?, over=?, crc=?
           tx pkts=1, bytes=106, drop=?, errs=?, coll=?
           duration=1.594s
  port  2: rx pkts=1, bytes=106, drop=?, errs=?, frame=?, over=?, crc=?
           tx pkts=1, bytes=106, drop=?, errs=?, coll=?
           duration=1.594s
  port  3: rx pkts=0, bytes=0, drop=?, errs=?, frame=?, over=?, crc=?
           tx pkts=0, bytes=0, drop=?, errs=?, coll=?
           duration=1.594s
`;

const PORTS_DESC = `OFPST_PORT_DESC reply (OF1.3) (xid=0x2):
 1(p1): addr:aa:55:aa:55:00:10
     config:     0
     state:      LIVE
     speed: 0 Mbps now, 0 Mbps max
 2(p2): addr:aa:55:aa:55:00:0e
     config:     0
     state:      LIVE
     speed: 0 Mbps now, 0 Mbps max
 3(p3): addr:aa:55:aa:55:00:0f
     config:     0
     state:      LIVE
     speed: 0 Mbps now, 0 Mbps max
 LOCAL(br0): addr:26:17:37:58:76:4d
     config:     0
     state:      LIVE
     speed: 0 Mbps now, 0 Mbps max
`;

const TABLES = `OFPST_TABLE reply (OF1.3) (xid=0x2):
  table 0:
    active=4, lookup=4, matched=4

  table 1:
    active=0, lookup=0, matched=0

  table 2: ditto

  table 3:
    active=1, lookup=0, matched=0

  table 4: ditto

  table 5:
    active=0, lookup=0, matched=0

  tables 6...199: ditto

  table 200:
    active=1, lookup=0, matched=0

  table 201:
    active=0, lookup=0, matched=0

  tables 202...253: ditto

`;

const METERS = `OFPST_METER reply (OF1.3) (xid=0x2):
meter:1 flow_count:1 packet_in_count:3 byte_in_count:318 duration:1.596s bands:
0: packet_count:2 byte_count:212

meter:2 flow_count:0 packet_in_count:0 byte_in_count:0 duration:1.591s bands:
0: packet_count:0 byte_count:0
1: packet_count:0 byte_count:0
`;

const GROUPS = `OFPST_GROUP reply (OF1.3) (xid=0x6):
 group_id=8,duration=1.575s,ref_count=0,packet_count=0,byte_count=0,bucket0:packet_count=0,byte_count=0
 group_id=7,duration=1.590s,ref_count=1,packet_count=1,byte_count=106,bucket0:packet_count=1,byte_count=106,bucket1:packet_count=1,byte_count=106
`;

test('dump-flows: default priority left out, flags, timeouts, reserved and numbered ports, a full-width cookie', () => {
  const f = counted(parseFlows(FLOWS));
  assert.deepEqual(f.map((x) => [x.cookie, x.table, x.priority, x.packets, x.bytes, x.inPort, x.outPort]), [
    [0x2n, 0, DEFAULT_PRIORITY, 1n, 106n, 2, 0],
    [0x4000000000000001n, 0, 100, 3n, 318n, 1, 2],
    [0x3n, 0, 50, 0n, 0n, 0, LOCAL],
    [0x8000000000000001n, 0, 0, 0n, 0n, 0, 0],
    [0x0n, 3, 10, 0n, 0n, 0, 0],
    [0x5n, 4, 10, 0n, 0n, LOCAL, 1],
    [0xffffffffffffffffn, 200, 1, 0n, 0n, 0, RESERVED_PORTS.CONTROLLER],
  ]);
  assert.deepEqual(f[2]!.flags, ['send_flow_rem', 'reset_counts']);
  assert.deepEqual([f[2]!.idleTimeout, f[2]!.hardTimeout, f[1]!.idleTimeout], [300, 600, 0]);
  assert.deepEqual([f[1]!.match, f[1]!.actions, f[1]!.duration], ['udp,in_port=1,tp_dst=1001', 'meter:1,output:2', '1.530s']);
  assert.deepEqual([f[0]!.match, f[3]!.match], ['in_port=2', '']);
});

test('dump-flows --names: port and table names resolve to the numbers the plain dump shows', () => {
  const names = { ports: portNumbers(parsePortsDesc(PORTS_DESC)), tables: new Map([['classifier', 4]]) };
  const strip = (x: ReturnType<typeof parseFlows>[number]) => ({ ...x, duration: '', match: '', actions: '' });
  assert.deepEqual(parseFlows(FLOWS_NAMED, names).map(strip), parseFlows(FLOWS).map(strip));
  assert.throws(() => parseFlows(FLOWS_NAMED), /port "p2" by name/);
});

test('dump-flows: `?` for a counter the switch does not keep (ofp-print of all-ones counts); an odd line throws', () => {
  // ovs-ofctl ofp-print of a FLOW reply: table 5, priority 0x8000, empty match, both counts all ones.
  const f = parseFlows('OFPST_FLOW reply (OF1.3) (xid=0x2):\n cookie=0x7, duration=2s, table=5, n_packets=?, n_bytes=?, actions=drop\n');
  assert.deepEqual(f.map((x) => [x.cookie, x.table, x.priority, x.packets, x.bytes, x.match, x.actions]),
    [[7n, 5, DEFAULT_PRIORITY, undefined, undefined, '', 'drop']]);
  assert.throws(() => counted(f), /uncounted rule/);
  assert.throws(() => parseFlows(' cookie=0x7, duration=2s, n_packets=1, n_bytes=2, actions=drop'), /cannot parse/);
  assert.throws(() => parseFlows('NXST_FLOW reply (xid=0x4):'), /cannot parse/);
});

test('dump-flows: write_actions outputs count after the apply actions', () => {
  const [f] = parseFlows(' cookie=0x1, duration=1s, table=0, n_packets=0, n_bytes=0, priority=1 actions=group:1,write_actions(output:7,output:8),goto_table:1');
  assert.equal(f!.outPort, 7);
  const [g] = parseFlows(' cookie=0x1, duration=1s, table=0, n_packets=0, n_bytes=0, priority=1 actions=output:3,write_actions(output:7)');
  assert.equal(g!.outPort, 3);
});

test('dump-ports: LOCAL, numbers and `?` (not kept by the dummy netdev); --names; the count OVS announces', () => {
  const p = parsePorts(PORTS);
  assert.deepEqual(p.map((x) => x.port), [LOCAL, 1, 2, 3]);
  assert.deepEqual(p[1], {
    port: 1, duration: '1.594s',
    counters: {
      rx_packets: 3n, tx_packets: 1n, rx_bytes: 318n, tx_bytes: 106n, rx_dropped: undefined, tx_dropped: undefined,
      rx_errors: undefined, tx_errors: undefined, rx_frame_err: undefined, rx_over_err: undefined, rx_crc_err: undefined, collisions: undefined,
    },
  });
  const named = PORTS.replace(/port {2}(\d)/g, 'port  p$1');
  assert.deepEqual(parsePorts(named, { ports: portNumbers(parsePortsDesc(PORTS_DESC)) }), p);
  assert.throws(() => parsePorts(PORTS.replace('4 ports', '5 ports')), /parsed 4 of 5 ports/);
  // ovs-ofctl ofp-print of a PORT reply for port 7 with every counter all ones.
  const all = parsePorts('OFPST_PORT reply (OF1.3) (xid=0x3): 1 ports\n  port  7: rx pkts=?, bytes=?, drop=?, errs=?, frame=?, over=?, crc=?\n           tx pkts=?, bytes=?, drop=?, errs=?, coll=?\n           duration=5.000000006s\n');
  assert.deepEqual(Object.values(all[0]!.counters).filter((v) => v !== undefined), []);
  assert.equal(all[0]!.duration, '5.000000006s');
});

test('dump-tables: `table N: ditto` and `tables N...M: ditto` repeat the table before', () => {
  const t = parseTables(TABLES);
  assert.equal(t.length, 254);
  assert.deepEqual(t.map((x) => x.table), Array.from({ length: 254 }, (_, i) => i));
  const at = (n: number) => t[n]!;
  assert.deepEqual(at(0), { table: 0, active: 4n, lookup: 4n, matched: 4n });
  assert.deepEqual(at(2), { table: 2, active: 0n, lookup: 0n, matched: 0n });
  assert.deepEqual(at(4), { table: 4, active: 1n, lookup: 0n, matched: 0n });
  assert.deepEqual(at(150), { table: 150, active: 0n, lookup: 0n, matched: 0n });
  assert.deepEqual(at(200), { table: 200, active: 1n, lookup: 0n, matched: 0n });
  assert.deepEqual(t.filter((x) => x.active > 0n).map((x) => x.table), [0, 3, 4, 200]);
  // ovs-ofctl ofp-print of a TABLE reply whose lookup count is all ones: printed as the number.
  assert.deepEqual(parseTables('OFPST_TABLE reply (OF1.3) (xid=0x4):\n  table 0:\n    active=2, lookup=18446744073709551615, matched=5\n\n  table 1:\n    active=0, lookup=9, matched=4\n'),
    [{ table: 0, active: 2n, lookup: 0xffffffffffffffffn, matched: 5n }, { table: 1, active: 0n, lookup: 9n, matched: 4n }]);
  assert.throws(() => parseTables('  table 2: ditto\n'), /ditto of nothing/);
});

test('meter-stats: several meters, several bands', () => {
  assert.deepEqual(parseMeterStats(METERS), [
    { id: 1, flowCount: 1, packetsIn: 3n, bytesIn: 318n, duration: '1.596s', bands: [{ packets: 2n, bytes: 212n }] },
    { id: 2, flowCount: 0, packetsIn: 0n, bytesIn: 0n, duration: '1.591s', bands: [{ packets: 0n, bytes: 0n }, { packets: 0n, bytes: 0n }] },
  ]);
});

test('dump-group-stats: buckets by index; a bucket OVS leaves out (all-ones count, ofp-print) is a hole', () => {
  assert.deepEqual(parseGroupStats(GROUPS), [
    { id: 8, duration: '1.575s', refCount: 0, packets: 0n, bytes: 0n, buckets: [{ packets: 0n, bytes: 0n }] },
    { id: 7, duration: '1.590s', refCount: 1, packets: 1n, bytes: 106n, buckets: [{ packets: 1n, bytes: 106n }, { packets: 1n, bytes: 106n }] },
  ]);
  const [g] = parseGroupStats('OFPST_GROUP reply (OF1.3) (xid=0x5):\n group_id=3,duration=1s,ref_count=1,packet_count=18446744073709551615,byte_count=18446744073709551615,bucket1:packet_count=1,byte_count=2\n');
  assert.deepEqual(g!.buckets, [undefined, { packets: 1n, bytes: 2n }]);
});

test('dump-ports-desc: numbers, names, LOCAL, config and state', () => {
  const d = parsePortsDesc(PORTS_DESC);
  assert.deepEqual(d.map((p) => [p.port, p.name, p.hwAddr]), [
    [1, 'p1', 'aa:55:aa:55:00:10'], [2, 'p2', 'aa:55:aa:55:00:0e'], [3, 'p3', 'aa:55:aa:55:00:0f'], [LOCAL, 'br0', '26:17:37:58:76:4d'],
  ]);
  assert.deepEqual([d[0]!.config, d[0]!.state, d[0]!.currentSpeed, d[0]!.maxSpeed], [[], ['LIVE'], 0, 0]);
});

// ---- live: a sandbox's dumps against OVS's own aggregate ----

let ovs: OvsSandbox;
before(async () => {
  ovs = await startOvs({ bridges: 1, portsPerBridge: 3 });
});
after(async () => {
  await ovs?.stop();
});

test('live OVS: every dump parses, --names agrees with numbers, flows add up to dump-aggregate', async () => {
  const b = ovs.bridges[0]!;
  const of = (...a: string[]) => ovs.ofctl('-O', 'OpenFlow13', ...a);
  await of('add-meter', b.mgmt, 'meter=1 pktps burst stats bands=type=drop rate=1 burst_size=1');
  await of('add-group', b.mgmt, 'group_id=7,type=all,bucket=output:1,bucket=output:2');
  const rules = [
    'table=0,cookie=0x2,in_port=2,actions=group:7',
    'table=0,priority=100,cookie=0x4000000000000001,udp,in_port=1,tp_dst=1001,actions=meter:1,output:2',
    'table=0,priority=50,cookie=0x3,idle_timeout=300,send_flow_rem,ip,nw_dst=10.0.0.1,actions=output:LOCAL',
    'table=0,priority=0,cookie=0x8000000000000001,actions=drop',
    'table=3,priority=10,cookie=0x5,in_port=LOCAL,actions=output:1,output:3',
  ];
  writeFileSync(join(ovs.dir, 'rules'), rules.join('\n') + '\n');
  await of('add-flows', b.mgmt, join(ovs.dir, 'rules'));
  const pkt = (inPort: number, dst: number) => `in_port(${inPort}),eth(src=50:54:00:00:00:01,dst=50:54:00:00:00:02),eth_type(0x0800),ipv4(src=10.0.0.1,dst=10.0.0.2,proto=17,tos=0,ttl=64,frag=no),udp(src=1,dst=${dst})`;
  await ovs.appctl('netdev-dummy/receive', b.ports[0]!, pkt(1, 1001), pkt(1, 1001), pkt(1, 1001));
  await ovs.appctl('netdev-dummy/receive', b.ports[1]!, pkt(2, 9));
  await ovs.appctl('revalidator/wait');

  const names = { ports: portNumbers(parsePortsDesc(await of('dump-ports-desc', b.mgmt))) };
  assert.deepEqual([...names.ports].sort(), [['br0', LOCAL], ['p1', 1], ['p2', 2], ['p3', 3]]);
  const flows = counted(parseFlows(await of('dump-flows', b.mgmt)));
  const strip = (x: (typeof flows)[number]) => ({ ...x, duration: '', match: '', actions: '' });
  assert.deepEqual(counted(parseFlows(await of('--names', 'dump-flows', b.mgmt), names)).map(strip), flows.map(strip));
  const agg = /packet_count=(\d+) byte_count=(\d+) flow_count=(\d+)/.exec(await of('dump-aggregate', b.mgmt))!;
  assert.equal(flows.length, Number(agg[3]));
  assert.equal(flows.reduce((n, f) => n + f.packets, 0n), BigInt(agg[1]!));
  assert.equal(flows.reduce((n, f) => n + f.bytes, 0n), BigInt(agg[2]!));
  assert.equal(flows.find((f) => f.cookie === 0x2n)!.priority, DEFAULT_PRIORITY);
  assert.equal(flows.find((f) => f.cookie === 0x3n)!.outPort, LOCAL);

  const tables = parseTables(await of('dump-tables', b.mgmt));
  assert.equal(tables.length, 254);
  assert.equal(tables.reduce((n, t) => n + t.active, 0n), BigInt(flows.length));
  assert.deepEqual(parsePorts(await of('--names', 'dump-ports', b.mgmt), names).map((p) => p.port),
    parsePorts(await of('dump-ports', b.mgmt)).map((p) => p.port));
  const [meter] = parseMeterStats(await of('meter-stats', b.mgmt));
  assert.equal(meter!.packetsIn, flows.find((f) => f.cookie === 0x4000000000000001n)!.packets);
  const [group] = parseGroupStats(await of('dump-group-stats', b.mgmt));
  assert.equal(group!.packets, flows.find((f) => f.cookie === 0x2n)!.packets);
  assert.equal(group!.buckets.length, 2);
});
