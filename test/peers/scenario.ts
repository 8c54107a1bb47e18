/**
 * An OpenKilda-style network in a real Open vSwitch sandbox (test/peers/ovs.ts): three bridges
 * SW1-SW2-SW3 joined by patch ports, so a packet injected at SW1 really crosses all three;
 * plain, one-switch, Y- and HA-flows with OpenKilda cookies, satellites, service rules,
 * flow and service meters (some with a rate low enough to drop the injected traffic), an HA
 * Y-point group; traffic injected until every counter has settled.
 *
 * The description below is hand-written: for every rule, meter and group it says who owns it
 * and where the switch sits on the owner's path (ingress, transit, egress, Y point). Tests
 * derive the metrics they expect from it and from the seed's rules, never from ofstats'
 * output. `registryYaml()` renders the same network as a flow registry file, and `truth()`
 * parses `ovs-ofctl`'s dumps of every switch. Used by the OpenKilda e2e test (issue 4) and
 * the pcap fixture capture (issue 5), hence the knobs in ScenarioOptions.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { settle, startOvs, type OvsBridge, type OvsSandbox } from './ovs.js';
import {
  counted, parseFlows as parseDumpFlows, parseGroupStats, parseMeterStats, parsePorts, parseTables,
  type FlowDump, type GroupDump, type MeterDump, type PortCounter, type PortDump, type TableDump,
} from './ovs-dumps.js';
import { startRefusingProxy, type MultipartName, type RefusingProxy } from './refusing-proxy.js';

const OF13 = ['-O', 'OpenFlow13'];

export type Direction = 'forward' | 'reverse';
export type Position = 'ingress' | 'transit' | 'egress' | 'ypoint';

/** Who a rule belongs to, as the registry knows it; absent = the registry does not know the cookie. */
export interface RuleOwner {
  kind: 'flow' | 'yflow' | 'haflow';
  /** flowid: the flow, the Y-flow's sub-flow, the HA sub-flow, or `shared` (HA shared path). */
  flowId: string;
  yFlowId?: string;
  haFlowId?: string;
  direction: Direction;
  positions: Position[];
}

export interface RuleSpec {
  /** Index into the scenario's switches (0 = SW1). */
  sw: number;
  table: number;
  priority: number;
  cookie: bigint;
  /** ovs-ofctl match, e.g. `udp,in_port=1,tp_dst=1001`. */
  match: string;
  /** ovs-ofctl OpenFlow 1.3 actions/instructions, e.g. `meter:32,output:20`. */
  actions: string;
  owner?: RuleOwner;
}

export type MeterOwner =
  | { kind: 'flow'; flowId: string; yFlowId?: string; direction: Direction; cookie: bigint }
  | { kind: 'yflow-shared' | 'yflow-ypoint'; yFlowId: string }
  | { kind: 'haflow'; haFlowId: string; flowId: string; direction: Direction; cookie: bigint }
  | { kind: 'haflow-ypoint'; haFlowId: string };

export interface MeterSpec {
  sw: number;
  id: number;
  /** Drops nearly everything injected through it (pktps rate 1), so band 0's counters move. */
  drops: boolean;
  owner?: MeterOwner;
}

export interface GroupSpec {
  sw: number;
  id: number;
  /** Bucket actions in order (bucket 0 first). */
  buckets: string[];
  /** The HA-flow whose Y-point group this is; absent = unknown to the registry. */
  haFlowId?: string;
}

/** `count` packets into `port` (a customer port number) of switch `sw` with these UDP ports. */
export interface Injection { sw: number; port: number; udpSrc: number; udpDst: number; count: number }

/** A path per direction, switch indices in order, and per-switch ids: the registry's view. */
export interface PathSpec { forward: number[]; reverse: number[] }
export interface FlowSpec {
  id: string;
  path: PathSpec;
  cookies: { forward: bigint; reverse: bigint };
  /** Meter per switch index and direction. */
  meters: { sw: number; direction: Direction; id: number }[];
  /** More rules of the flow (satellites) on a switch of one direction's path. */
  extraCookies?: { sw: number; direction: Direction; cookie: bigint }[];
}
export interface YFlowSpec {
  id: string;
  sharedSwitch: number;
  yPoint: number;
  sharedMeter: { sw: number; id: number };
  yPointMeter: { sw: number; id: number };
  subFlows: FlowSpec[];
}
export interface HaFlowSpec {
  id: string;
  sharedSwitch: number;
  yPoint: number;
  sharedPath: PathSpec;
  sharedCookies: { forward: bigint; reverse: bigint };
  sharedMeters: { sw: number; direction: Direction; id: number }[];
  yPointMeter: { sw: number; id: number };
  yPointGroup: { sw: number; id: number };
  subFlows: FlowSpec[];
}

export interface ScenarioDescription {
  rules: RuleSpec[];
  meters: MeterSpec[];
  groups: GroupSpec[];
  injections: Injection[];
  flows: FlowSpec[];
  yFlows: YFlowSpec[];
  haFlows: HaFlowSpec[];
}

export interface ScenarioOptions {
  /**
   * Extra rules per switch in table 1, half unknown flow cookies, half service cookies, no
   * traffic: multipart replies then span many messages (issue 5's 10,000-rule fixture).
   */
  fillerRules?: number;
  /** Packets per injection are multiplied by this (default 1). */
  trafficScale?: number;
  /**
   * Stat types every switch refuses (OFPBRC_BAD_MULTIPART): ofstats then dials a proxy in
   * front of each bridge (refusing-proxy.ts) instead of the bridge itself; see `targets`. The
   * proxies run in this process: start ofstats asynchronously (spawn, not spawnSync).
   */
  refuse?: MultipartName[];
}

/** Customer (dummy) ports 1..6 on every switch; inter-switch patch ports 20 (towards SW1) and 21 (towards SW3). */
export const CUSTOMER_PORTS = 6;
export const TO_PREV = 20;
export const TO_NEXT = 21;
/** SW1's link to SW2 is its port 20 too: it has no previous switch. */
const UP = (sw: number) => (sw === 0 ? TO_PREV : TO_NEXT);

const udp = (inPort: number, dst: number) => `udp,in_port=${inPort},tp_dst=${dst}`;

/**
 * The hand-written network. Cookies follow ../shared/reference/openkilda-stats.md §1; the
 * UDP destination port plays the part of the transit encapsulation (one per flow direction).
 */
export function describeScenario(): ScenarioDescription {
  const rules: RuleSpec[] = [];
  const rule = (sw: number, cookie: bigint, match: string, actions: string, owner?: RuleOwner, table = 0, priority = 100) =>
    rules.push({ sw, table, priority, cookie, match, actions, owner });
  const flow = (flowId: string, direction: Direction, ...positions: Position[]): RuleOwner =>
    ({ kind: 'flow', flowId, direction, positions });
  const ysub = (flowId: string, direction: Direction, ...positions: Position[]): RuleOwner =>
    ({ kind: 'yflow', flowId, yFlowId: 'yflow-1', direction, positions });
  const ha = (flowId: string, direction: Direction, ...positions: Position[]): RuleOwner =>
    ({ kind: 'haflow', flowId, haFlowId: 'haflow-1', direction, positions });

  // Service rules every switch has: the catch-all drop, and (SW1) verification broadcast
  // through service meter 2, which drops.
  for (const sw of [0, 1, 2]) rule(sw, 0x8000000000000001n, '', 'drop', undefined, 0, 0);
  rule(0, 0x8000000000000002n, udp(6, 1109), 'meter:2');
  rule(1, 0x8000000000000003n, udp(6, 1110), 'meter:3');

  // flow-1 (effective id 1): SW1:1 <-> SW3:1 through SW2. Its transit rule on SW2 is split
  // over tables 0 and 4 with the same cookie: one series per table.
  const F1F = 0x4000000000000001n, F1R = 0x2000000000000001n;
  rule(0, F1F, udp(1, 1001), 'meter:32,output:20', flow('flow-1', 'forward', 'ingress'));
  rule(1, F1F, udp(TO_PREV, 1001), 'goto_table:4', flow('flow-1', 'forward', 'transit'));
  rule(1, F1F, udp(TO_PREV, 1001), 'output:21', flow('flow-1', 'forward', 'transit'), 4);
  rule(2, F1F, udp(TO_PREV, 1001), 'output:1', flow('flow-1', 'forward', 'egress'));
  rule(2, F1R, udp(1, 2001), 'meter:32,output:20', flow('flow-1', 'reverse', 'ingress'));
  rule(1, F1R, udp(TO_NEXT, 2001), 'output:20', flow('flow-1', 'reverse', 'transit'));
  rule(0, F1R, udp(UP(0), 2001), 'output:1', flow('flow-1', 'reverse', 'egress'));

  // flow-2 (effective id 2): one switch, SW1:2 <-> SW1:3.
  const F2F = 0x4000000000000002n, F2R = 0x2000000000000002n;
  rule(0, F2F, udp(2, 1002), 'meter:33,output:3', flow('flow-2', 'forward', 'ingress', 'egress'));
  rule(0, F2R, udp(3, 2002), 'meter:34,output:2', flow('flow-2', 'reverse', 'ingress', 'egress'));

  // yflow-1: shared endpoint SW1:4, Y point SW2; sub-flow a (id 3) ends at SW3:2, b (id 4)
  // at SW2:2. Forward ingress rules share the shared-endpoint meter 40; sub-flow a's reverse
  // rule at the Y point carries the Y-point meter 41.
  const YAF = 0x4002000000000003n, YAR = 0x2002000000000003n, YBF = 0x4002000000000004n, YBR = 0x2002000000000004n;
  rule(0, YAF, udp(4, 1003), 'meter:40,output:20', ysub('yflow-1-a', 'forward', 'ingress'));
  rule(0, YBF, udp(4, 1004), 'meter:40,output:20', ysub('yflow-1-b', 'forward', 'ingress'));
  rule(0, YAR, udp(UP(0), 2003), 'output:4', ysub('yflow-1-a', 'reverse', 'egress'));
  rule(0, YBR, udp(UP(0), 2004), 'output:4', ysub('yflow-1-b', 'reverse', 'egress'));
  rule(1, YAF, udp(TO_PREV, 1003), 'output:21', ysub('yflow-1-a', 'forward', 'transit', 'ypoint'));
  rule(1, YBF, udp(TO_PREV, 1004), 'output:2', ysub('yflow-1-b', 'forward', 'egress', 'ypoint'));
  rule(1, YAR, udp(TO_NEXT, 2003), 'meter:41,output:20', ysub('yflow-1-a', 'reverse', 'transit', 'ypoint'));
  rule(1, YBR, udp(2, 2004), 'meter:43,output:20', ysub('yflow-1-b', 'reverse', 'ingress', 'ypoint'));
  rule(2, YAF, udp(TO_PREV, 1003), 'output:2', ysub('yflow-1-a', 'forward', 'egress'));
  rule(2, YAR, udp(2, 2003), 'meter:42,output:20', ysub('yflow-1-a', 'reverse', 'ingress'));

  // haflow-1 (effective id 5): shared endpoint SW1:5, shared path SW1-SW2, Y point SW2 with
  // group 60 (bucket 0 towards SW3 for sub-flow a, bucket 1 to SW2:5, sub-flow b's endpoint)
  // and meter 51. HA traffic carries UDP source 5005 so SW1's one shared reverse rule sees both.
  const HSF = 0x4000000000000005n, HSR = 0x2000000000000005n;
  const HAF = 0x4000000100000005n, HAR = 0x2000000100000005n, HBR = 0x2000000200000005n;
  rule(0, HSF, udp(5, 1005), 'meter:50,output:20', ha('shared', 'forward', 'ingress'));
  rule(0, HSR, `udp,in_port=${UP(0)},tp_src=5005`, 'output:5', ha('shared', 'reverse', 'egress'), 0, 90);
  rule(1, HSF, udp(TO_PREV, 1005), 'meter:51,group:60', ha('shared', 'forward', 'ypoint'));
  rule(1, HAR, udp(TO_NEXT, 2005), 'output:20', ha('haflow-1-a', 'reverse', 'transit', 'ypoint'));
  rule(1, HBR, udp(5, 2006), 'meter:53,output:20', ha('haflow-1-b', 'reverse', 'ingress', 'ypoint'));
  rule(2, HAF, udp(TO_PREV, 1005), 'output:5', ha('haflow-1-a', 'forward', 'egress'));
  rule(2, HAR, udp(5, 2005), 'meter:52,output:20', ha('haflow-1-a', 'reverse', 'ingress'));

  // Satellites of flow-1, known to the registry as its extra cookies on SW1 (raw metrics with
  // its flowid, never endpoint metrics), then a satellite and other cookies it does not know,
  // all on SW1:6.
  const F1_MIRROR = 0x4004000000000001n, F1_LOOP = 0x4008000000000001n, F1_S42 = 0x40c0000000000001n;
  rule(0, F1_MIRROR, udp(6, 1101), 'output:3', flow('flow-1', 'forward', 'ingress'));
  rule(0, F1_LOOP, udp(6, 1102), 'output:3', flow('flow-1', 'forward', 'ingress'));
  rule(0, F1_S42, udp(6, 1103), 'drop', flow('flow-1', 'forward', 'ingress')); // server42 flow-RTT inject (type 0x00C)
  rule(0, 0x4070000000400001n, udp(6, 1104), 'drop'); // stats VLAN 4 (type 0x007)
  rule(0, 0x0080000000640006n, udp(6, 1105), 'drop'); // shared segment, QinQ, VLAN 100, port 6
  rule(0, 0x40b0000000000005n, udp(6, 1106), 'drop'); // exclusion, forward, id 5
  rule(0, 0x4000000000000099n, udp(6, 1107), 'meter:70,output:2'); // a flow the registry lacks
  rule(0, 0x8050000000000006n, udp(6, 1108), 'drop'); // port colour, type 0x005, port 6

  const meters: MeterSpec[] = [
    { sw: 0, id: 2, drops: true },
    { sw: 1, id: 3, drops: false },
    { sw: 0, id: 32, drops: true, owner: { kind: 'flow', flowId: 'flow-1', direction: 'forward', cookie: F1F } },
    { sw: 2, id: 32, drops: false, owner: { kind: 'flow', flowId: 'flow-1', direction: 'reverse', cookie: F1R } },
    { sw: 0, id: 33, drops: false, owner: { kind: 'flow', flowId: 'flow-2', direction: 'forward', cookie: F2F } },
    { sw: 0, id: 34, drops: true, owner: { kind: 'flow', flowId: 'flow-2', direction: 'reverse', cookie: F2R } },
    { sw: 0, id: 40, drops: true, owner: { kind: 'yflow-shared', yFlowId: 'yflow-1' } },
    { sw: 1, id: 41, drops: true, owner: { kind: 'yflow-ypoint', yFlowId: 'yflow-1' } },
    { sw: 2, id: 42, drops: false, owner: { kind: 'flow', flowId: 'yflow-1-a', yFlowId: 'yflow-1', direction: 'reverse', cookie: YAR } },
    { sw: 1, id: 43, drops: true, owner: { kind: 'flow', flowId: 'yflow-1-b', yFlowId: 'yflow-1', direction: 'reverse', cookie: YBR } },
    { sw: 0, id: 50, drops: true, owner: { kind: 'haflow', haFlowId: 'haflow-1', flowId: 'shared', direction: 'forward', cookie: HSF } },
    { sw: 1, id: 51, drops: false, owner: { kind: 'haflow-ypoint', haFlowId: 'haflow-1' } },
    { sw: 2, id: 52, drops: false, owner: { kind: 'haflow', haFlowId: 'haflow-1', flowId: 'haflow-1-a', direction: 'reverse', cookie: HAR } },
    { sw: 1, id: 53, drops: true, owner: { kind: 'haflow', haFlowId: 'haflow-1', flowId: 'haflow-1-b', direction: 'reverse', cookie: HBR } },
    { sw: 0, id: 70, drops: false }, // a flow meter nobody registered
  ];

  const groups: GroupSpec[] = [
    { sw: 1, id: 60, buckets: ['output:21', 'output:5'], haFlowId: 'haflow-1' },
    { sw: 0, id: 11, buckets: ['output:3', 'output:4'] }, // unknown flow group: no metric
  ];

  const injections: Injection[] = [
    { sw: 0, port: 1, udpSrc: 1, udpDst: 1001, count: 6 },
    { sw: 2, port: 1, udpSrc: 1, udpDst: 2001, count: 3 },
    { sw: 0, port: 2, udpSrc: 1, udpDst: 1002, count: 4 },
    { sw: 0, port: 3, udpSrc: 1, udpDst: 2002, count: 5 },
    { sw: 0, port: 4, udpSrc: 1, udpDst: 1003, count: 3 },
    { sw: 0, port: 4, udpSrc: 1, udpDst: 1004, count: 2 },
    { sw: 2, port: 2, udpSrc: 1, udpDst: 2003, count: 4 },
    { sw: 1, port: 2, udpSrc: 1, udpDst: 2004, count: 3 },
    { sw: 0, port: 5, udpSrc: 5005, udpDst: 1005, count: 4 },
    { sw: 2, port: 5, udpSrc: 5005, udpDst: 2005, count: 2 },
    { sw: 1, port: 5, udpSrc: 5005, udpDst: 2006, count: 3 },
    ...[1101, 1102, 1103, 1104, 1105, 1106, 1107, 1108, 1109].map((d, i) => ({ sw: 0, port: 6, udpSrc: 1, udpDst: d, count: 1 + (i % 3) })),
    { sw: 1, port: 6, udpSrc: 1, udpDst: 1110, count: 2 },
    { sw: 2, port: 3, udpSrc: 1, udpDst: 9999, count: 2 }, // matches nothing but the drop rule
  ];

  const flows: FlowSpec[] = [
    { id: 'flow-1', path: { forward: [0, 1, 2], reverse: [2, 1, 0] }, cookies: { forward: F1F, reverse: F1R },
      meters: [{ sw: 0, direction: 'forward', id: 32 }, { sw: 2, direction: 'reverse', id: 32 }],
      extraCookies: [F1_MIRROR, F1_LOOP, F1_S42].map((cookie) => ({ sw: 0, direction: 'forward' as const, cookie })) },
    { id: 'flow-2', path: { forward: [0], reverse: [0] }, cookies: { forward: F2F, reverse: F2R },
      meters: [{ sw: 0, direction: 'forward', id: 33 }, { sw: 0, direction: 'reverse', id: 34 }] },
  ];
  const yFlows: YFlowSpec[] = [{
    id: 'yflow-1', sharedSwitch: 0, yPoint: 1, sharedMeter: { sw: 0, id: 40 }, yPointMeter: { sw: 1, id: 41 },
    subFlows: [
      { id: 'yflow-1-a', path: { forward: [0, 1, 2], reverse: [2, 1, 0] }, cookies: { forward: YAF, reverse: YAR },
        meters: [{ sw: 2, direction: 'reverse', id: 42 }] },
      { id: 'yflow-1-b', path: { forward: [0, 1], reverse: [1, 0] }, cookies: { forward: YBF, reverse: YBR },
        meters: [{ sw: 1, direction: 'reverse', id: 43 }] },
    ],
  }];
  const haFlows: HaFlowSpec[] = [{
    id: 'haflow-1', sharedSwitch: 0, yPoint: 1,
    sharedPath: { forward: [0, 1], reverse: [1, 0] }, sharedCookies: { forward: HSF, reverse: HSR },
    sharedMeters: [{ sw: 0, direction: 'forward', id: 50 }],
    yPointMeter: { sw: 1, id: 51 }, yPointGroup: { sw: 1, id: 60 },
    subFlows: [
      // Sub-flow paths run from the Y point to the sub-flow's endpoint and back.
      { id: 'haflow-1-a', path: { forward: [1, 2], reverse: [2, 1] }, cookies: { forward: HAF, reverse: HAR },
        meters: [{ sw: 2, direction: 'reverse', id: 52 }] },
      { id: 'haflow-1-b', path: { forward: [1], reverse: [1] }, cookies: { forward: 0x4000000200000005n, reverse: HBR },
        meters: [{ sw: 1, direction: 'reverse', id: 53 }] },
    ],
  }];
  return { rules, meters, groups, injections, flows, yFlows, haFlows };
}

// ---- ovs-ofctl's dumps, parsed (the truth: ./ovs-dumps.ts) ----

/**
 * What ovs-ofctl shows, without durations (they move by themselves: two dumps of counters
 * that did not move compare equal). OVS counts every rule, so flow counters are known.
 */
export type FlowTruth = Omit<FlowDump, 'duration'> & { packets: bigint; bytes: bigint };
export type MeterTruth = Omit<MeterDump, 'duration'>;
export type GroupTruth = Omit<GroupDump, 'duration'>;
export type PortTruth = Omit<PortDump, 'duration'>;
export type TableTruth = TableDump;
export interface SwitchTruth { flows: FlowTruth[]; meters: MeterTruth[]; groups: GroupTruth[]; ports: PortTruth[]; tables: TableTruth[] }

/** OpenKilda's port metric suffixes and the ofp_port_stats counter each reads (`-bits`: bytes x 8). */
export const PORT_METRICS: Readonly<Record<string, { field: PortCounter; times: bigint }>> = {
  'rx-packets': { field: 'rx_packets', times: 1n }, 'tx-packets': { field: 'tx_packets', times: 1n },
  'rx-bytes': { field: 'rx_bytes', times: 1n }, 'tx-bytes': { field: 'tx_bytes', times: 1n },
  'rx-bits': { field: 'rx_bytes', times: 8n }, 'tx-bits': { field: 'tx_bytes', times: 8n },
  'rx-dropped': { field: 'rx_dropped', times: 1n }, 'tx-dropped': { field: 'tx_dropped', times: 1n },
  'rx-errors': { field: 'rx_errors', times: 1n }, 'tx-errors': { field: 'tx_errors', times: 1n },
  'rx-frame-error': { field: 'rx_frame_err', times: 1n }, 'rx-over-error': { field: 'rx_over_err', times: 1n },
  'rx-crc-error': { field: 'rx_crc_err', times: 1n }, collisions: { field: 'collisions', times: 1n },
};

/** A port's values by OpenKilda metric suffix; undefined where OVS prints `?` (not kept: no metric). */
export function portMetrics(p: Pick<PortDump, 'counters'>): Map<string, bigint | undefined> {
  return new Map(Object.entries(PORT_METRICS).map(([suffix, { field, times }]) => {
    const v = p.counters[field];
    return [suffix, v === undefined ? undefined : v * times];
  }));
}

const noDuration = <T extends { duration?: string }>({ duration: _, ...rest }: T): Omit<T, 'duration'> => rest;

/** dump-flows with every rule counted (what the scenario's callers compare against). */
export const parseFlows = (text: string): FlowTruth[] => counted(parseDumpFlows(text)).map(noDuration);
export { parseGroupStats, parseMeterStats, parsePorts, parseTables };

/** The stats dumps of one bridge, parsed. */
export async function dumpSwitch(ovs: OvsSandbox, b: OvsBridge): Promise<SwitchTruth> {
  const [flows, meters, groups, ports, tables] = await Promise.all(
    ['dump-flows', 'meter-stats', 'dump-group-stats', 'dump-ports', 'dump-tables'].map((c) => ovs.ofctl(...OF13, c, b.mgmt)));
  return {
    flows: parseFlows(flows!), meters: parseMeterStats(meters!).map(noDuration), groups: parseGroupStats(groups!).map(noDuration),
    ports: parsePorts(ports!).map(noDuration), tables: parseTables(tables!),
  };
}

// ---- the running scenario ----

export interface Scenario {
  ovs: OvsSandbox;
  bridges: OvsBridge[];
  description: ScenarioDescription;
  /** `SW` + 16 upper-case hex digits, OpenKilda's switchid, per switch index. */
  switchIds: string[];
  /** What ofstats dials, per switch: the bridge's unix socket, or the refusing proxy's tcp:127.0.0.1:PORT. */
  targets: string[];
  /** The proxies when `refuse` was given (their `refused` counts requests answered with an error). */
  proxies: RefusingProxy[];
  /** The flow registry file (YAML) describing the network, inside the sandbox dir. */
  registryFile: string;
  /** ovs-ofctl's dumps of every switch, parsed. */
  truth(): Promise<SwitchTruth[]>;
  /** Inject the description's traffic (again) and wait until every counter has settled. */
  inject(scale?: number): Promise<SwitchTruth[]>;
  /** Wait until every injected packet is counted and a revalidator cycle changes nothing; returns the dumps. */
  settled(): Promise<SwitchTruth[]>;
  stop(): Promise<void>;
}

const switchIdOf = (b: OvsBridge) => 'SW' + b.dpidHex.toUpperCase();

function meterMod(m: MeterSpec): string {
  return m.drops
    ? `meter=${m.id} pktps burst stats bands=type=drop rate=1 burst_size=1`
    : `meter=${m.id} kbps burst stats bands=type=drop rate=1000000 burst_size=100000`;
}

function flowLine(r: RuleSpec): string {
  const match = r.match ? `,${r.match}` : '';
  return `table=${r.table},priority=${r.priority},cookie=0x${r.cookie.toString(16)}${match},actions=${r.actions}`;
}

/** Filler rules: unknown flow cookies and service cookies, in table 1, never hit. */
function fillerLines(sw: number, n: number): string[] {
  const lines: string[] = [];
  for (let i = 0; i < n; i++) {
    const cookie = i % 2 === 0 ? 0x4000000000000000n + 0x1000n + BigInt(i) : 0x8000000000000000n + 0x100n + BigInt(i);
    lines.push(`table=1,priority=10,cookie=0x${cookie.toString(16)},udp,in_port=${1 + (i % CUSTOMER_PORTS)},tp_dst=${10000 + (i % 50000)},tp_src=${sw + 1 + Math.floor(i / 50000)},actions=output:${1 + ((i + 1) % CUSTOMER_PORTS)}`);
  }
  return lines;
}

function packet(inj: Injection): string {
  return `in_port(${inj.port}),eth(src=50:54:00:00:00:01,dst=50:54:00:00:00:02),eth_type(0x0800),` +
    `ipv4(src=10.0.0.1,dst=10.0.0.2,proto=17,tos=0,ttl=64,frag=no),udp(src=${inj.udpSrc},dst=${inj.udpDst})`;
}

export async function startScenario(opts: ScenarioOptions = {}): Promise<Scenario> {
  const description = describeScenario();
  const ovs = await startOvs({ bridges: 3, portsPerBridge: CUSTOMER_PORTS });
  const bridges = ovs.bridges;
  try {
    // Patch ports: SW1:20 <-> SW2:20, SW2:21 <-> SW3:20.
    const link = (a: number, pa: number, b: number, pb: number) => {
      const na = `patch${a + 1}${b + 1}`, nb = `patch${b + 1}${a + 1}`;
      return ['--', 'add-port', bridges[a]!.name, na, '--', 'set', 'interface', na, 'type=patch', `options:peer=${nb}`, `ofport_request=${pa}`,
        '--', 'add-port', bridges[b]!.name, nb, '--', 'set', 'interface', nb, 'type=patch', `options:peer=${na}`, `ofport_request=${pb}`];
    };
    await ovs.vsctl(...[...link(0, TO_PREV, 1, TO_PREV), ...link(1, TO_NEXT, 2, TO_PREV)].slice(1));

    for (const m of description.meters) await ovs.ofctl(...OF13, 'add-meter', bridges[m.sw]!.mgmt, meterMod(m));
    for (const g of description.groups) {
      await ovs.ofctl(...OF13, 'add-group', bridges[g.sw]!.mgmt, `group_id=${g.id},type=all,${g.buckets.map((b) => `bucket=${b}`).join(',')}`);
    }
    for (let sw = 0; sw < bridges.length; sw++) {
      const lines = description.rules.filter((r) => r.sw === sw).map(flowLine).concat(fillerLines(sw, opts.fillerRules ?? 0));
      const file = join(ovs.dir, `${bridges[sw]!.name}.flows`);
      writeFileSync(file, lines.join('\n') + '\n');
      await ovs.ofctl(...OF13, 'add-flows', bridges[sw]!.mgmt, file);
    }
    const registryFile = join(ovs.dir, 'registry.yaml');
    writeFileSync(registryFile, registryYaml(description, bridges.map(switchIdOf)));

    const truth = (): Promise<SwitchTruth[]> => Promise.all(bridges.map((b) => dumpSwitch(ovs, b)));

    // Every packet injected into a switch meets one of its table-0 rules (the catch-all drop
    // at least); packets crossing a patch port add to the next switch's, hence "at least".
    const sent = bridges.map(() => 0n);
    const allCounted = (t: SwitchTruth[]) => t.every((s, sw) =>
      s.flows.filter((f) => f.table === 0).reduce((n, f) => n + f.packets, 0n) >= sent[sw]!);
    const settled = (): Promise<SwitchTruth[]> => settle(ovs, truth, allCounted);

    const inject = async (scale = opts.trafficScale ?? 1): Promise<SwitchTruth[]> => {
      for (const inj of description.injections) {
        const b = bridges[inj.sw]!;
        const n = inj.count * scale;
        await ovs.appctl('netdev-dummy/receive', b.ports[inj.port - 1]!, ...Array.from({ length: n }, () => packet(inj)));
        sent[inj.sw] = sent[inj.sw]! + BigInt(n);
      }
      return settled();
    };

    const proxies = opts.refuse?.length
      ? await Promise.all(bridges.map((b) => startRefusingProxy(b.mgmtPath, opts.refuse!)))
      : [];
    const targets = proxies.length ? proxies.map((p) => `tcp:127.0.0.1:${p.port}`) : bridges.map((b) => b.mgmt);
    const stop = async () => {
      await Promise.all(proxies.map((p) => p.close()));
      await ovs.stop();
    };
    return { ovs, bridges, description, switchIds: bridges.map(switchIdOf), targets, proxies, registryFile, truth, inject, settled, stop };
  } catch (e) {
    await ovs.stop();
    throw e;
  }
}

// ---- the registry file ----

/** Renders the description as a flow registry file (README "Flow registry"). */
export function registryYaml(d: ScenarioDescription, switchIds: string[]): string {
  return '# The OpenKilda-style scenario of test/peers/scenario.ts.\n' + stringify(registryObject(d, switchIds));
}

export function registryObject(d: ScenarioDescription, switchIds: string[]): unknown {
  const sw = (i: number) => switchIds[i]!;
  const path = (p: PathSpec) => ({ forward: p.forward.map(sw), reverse: p.reverse.map(sw) });
  const hex = (c: bigint) => '0x' + c.toString(16).toUpperCase().padStart(16, '0');
  const flow = (f: FlowSpec) => ({
    id: f.id,
    path: path(f.path),
    cookies: { forward: hex(f.cookies.forward), reverse: hex(f.cookies.reverse) },
    meters: f.meters.map((m) => ({ switch: sw(m.sw), direction: m.direction, id: m.id })),
    ...(f.extraCookies?.length
      ? { extra_cookies: f.extraCookies.map((e) => ({ switch: sw(e.sw), direction: e.direction, cookie: hex(e.cookie) })) }
      : {}),
  });
  return {
    flows: d.flows.map(flow),
    y_flows: d.yFlows.map((y) => ({
      id: y.id, shared_switch: sw(y.sharedSwitch), y_point: sw(y.yPoint),
      shared_meter: { switch: sw(y.sharedMeter.sw), id: y.sharedMeter.id },
      y_point_meter: { switch: sw(y.yPointMeter.sw), id: y.yPointMeter.id },
      sub_flows: y.subFlows.map(flow),
    })),
    ha_flows: d.haFlows.map((h) => ({
      id: h.id, shared_switch: sw(h.sharedSwitch), y_point: sw(h.yPoint),
      shared_path: path(h.sharedPath),
      shared_cookies: { forward: hex(h.sharedCookies.forward), reverse: hex(h.sharedCookies.reverse) },
      shared_meters: h.sharedMeters.map((m) => ({ switch: sw(m.sw), direction: m.direction, id: m.id })),
      y_point_meter: { switch: sw(h.yPointMeter.sw), id: h.yPointMeter.id },
      y_point_group: { switch: sw(h.yPointGroup.sw), id: h.yPointGroup.id },
      sub_flows: h.subFlows.map(flow),
    })),
  };
}
