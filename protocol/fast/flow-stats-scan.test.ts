import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeMessage } from '../codec.js';
import { OfDecodeError } from '../errors.js';
import { Framer } from '../framer.js';
import type { FlowStats } from '../messages/multipart/flow/reply.js';
import { leanFlowStats, scanFlowStatsBody, scanFlowStatsMessage, type FlowStatsLean } from './flow-stats-scan.js';
import { parseJsonBig } from '../../test/conformance/bigjson.js';
import { counted, parseFlows, type FlowDump } from '../../test/peers/ovs-dumps.js';
import { settle, startOvs } from '../../test/peers/ovs.js';
import { captureFlowStats } from '../../bench/capture.js';
import { writeRuleFiles } from '../../scripts/ovs-rules.js';
import { CORPUS_PRESENT, CORPUS_ROOT } from '../../test/conformance/corpus.js';

const CORPUS = CORPUS_ROOT;

/** What the lean path must report for an entry, read off the full decoder's objects. */
function project(fs: FlowStats): FlowStatsLean {
  let in_port: number | undefined;
  for (const f of fs.match.oxm_fields) {
    if (f.class === 'OPENFLOW_BASIC' && f.field === 'in_port' && f.mask === undefined) {
      in_port = f.value as number;
      break;
    }
  }
  let out_port: number | undefined;
  let group_id: number | undefined;
  let meter_id: number | undefined;
  for (const i of fs.instructions) {
    if (i.type === 'METER') meter_id = (i as { meter_id: number }).meter_id;
    if (i.type !== 'APPLY_ACTIONS' && i.type !== 'WRITE_ACTIONS') continue;
    for (const a of (i as { actions: { type: unknown; port?: number; group_id?: number }[] }).actions) {
      if (a.type === 'OUTPUT' && out_port === undefined) out_port = a.port;
      if (a.type === 'GROUP' && group_id === undefined) group_id = a.group_id;
    }
  }
  return {
    table_id: fs.table_id, priority: fs.priority, duration_sec: fs.duration_sec, cookie: fs.cookie,
    packet_count: fs.packet_count, byte_count: fs.byte_count, in_port, out_port, meter_id, group_id,
  };
}

function fullProjection(messages: Buffer[]): FlowStatsLean[] {
  const out: FlowStatsLean[] = [];
  for (const m of messages) {
    const d = decodeMessage(m) as unknown as { multipart_type: string; body: FlowStats[] };
    assert.equal(d.multipart_type, 'FLOW');
    for (const fs of d.body) out.push(project(fs));
  }
  return out;
}

// ---- Ryu's expected JSON as the independent oracle -------------------------------------------

type Tagged = Record<string, Record<string, unknown>>;
const untag = (o: unknown): [string, Record<string, unknown>] => {
  const [k, v] = Object.entries(o as Tagged)[0]!;
  return [k, v];
};

function fromRyu(entry: unknown): FlowStatsLean {
  const [, fs] = untag(entry);
  const [, match] = untag(fs['match']);
  let in_port: number | undefined;
  for (const t of match['oxm_fields'] as unknown[]) {
    const [, oxm] = untag(t);
    if (oxm['field'] === 'in_port' && oxm['mask'] === null && in_port === undefined) in_port = Number(oxm['value']);
  }
  let out_port: number | undefined;
  let group_id: number | undefined;
  let meter_id: number | undefined;
  for (const t of fs['instructions'] as unknown[]) {
    const [kind, ins] = untag(t);
    if (kind === 'OFPInstructionMeter') meter_id = Number(ins['meter_id']);
    if (kind !== 'OFPInstructionActions' || (ins['type'] !== 3 && ins['type'] !== 4)) continue;
    for (const at of ins['actions'] as unknown[]) {
      const [ak, a] = untag(at);
      if (ak === 'OFPActionOutput' && out_port === undefined) out_port = Number(a['port']);
      if (ak === 'OFPActionGroup' && group_id === undefined) group_id = Number(a['group_id']);
    }
  }
  return {
    table_id: Number(fs['table_id']), priority: Number(fs['priority']), duration_sec: Number(fs['duration_sec']),
    cookie: BigInt(fs['cookie'] as number), packet_count: BigInt(fs['packet_count'] as number),
    byte_count: BigInt(fs['byte_count'] as number), in_port, out_port, meter_id, group_id,
  };
}

interface ManifestEntry {
  file: string;
  type: number;
  multipart_name?: string;
  expected: string[];
  whole_message: boolean | null;
}

const flowReplies: ManifestEntry[] = CORPUS_PRESENT
  ? (JSON.parse(readFileSync(join(CORPUS, 'manifest.json'), 'utf8')) as ManifestEntry[]).filter(
      (e) => e.type === 19 && e.multipart_name === 'FLOW' && e.whole_message,
    )
  : [];

if (!CORPUS_PRESENT) {
  test(`corpus flow-stats replies: corpus absent at ${CORPUS} (set OFSTATS_CORPUS); 0 samples run`, () => {});
}

if (CORPUS_PRESENT) {
  test('corpus: there are flow-stats replies to check', () => {
    assert.ok(flowReplies.length >= 3, `found ${flowReplies.length}`);
  });
}

for (const e of flowReplies) {
  test(`corpus ${e.file}: lean scan equals the full decoder`, () => {
    const buf = readFileSync(join(CORPUS, e.file));
    assert.deepEqual(leanFlowStats(buf), fullProjection([buf]));
  });
  const ryu = e.expected.find((x) => x.startsWith('ryu/json/'));
  if (ryu) {
    test(`corpus ${e.file}: lean scan equals Ryu's expected values`, () => {
      const buf = readFileSync(join(CORPUS, e.file));
      const [, reply] = untag(parseJsonBig(readFileSync(join(CORPUS, ryu), 'utf8')));
      const expected = (reply['body'] as unknown[]).map(fromRyu);
      for (const f of ['in_port', 'out_port', 'group_id'] as const) {
        assert.ok(expected.some((x) => x[f] !== undefined), `Ryu's sample exercises ${f}`);
      }
      assert.deepEqual(leanFlowStats(buf), expected);
    });
  }
}

// ---- Spec byte layout, written out by hand -----------------------------------------------

/** One ofp_flow_stats (OpenFlow 1.3.5 §7.3.5.2) with in_port=7, meter 33, group 5, output 2. */
const ENTRY_HEX =
  '0068' + '03' + '00' + '0000000a' + '00000001' + '0064' + '0000' + '0000' + '0000' + '00000000' +
  '4000000000000abc' + '0000000000000005' + '0000000000000140' +
  '0001000c' + '80000004' + '00000007' + '00000000' + // match: in_port=7, padded to 16
  '00060008' + '00000021' + // METER 33
  '00040020' + '00000000' + '00160008' + '00000005' + '0000001000000002ffff000000000000'; // APPLY: group 5, output 2
const ENTRY = Buffer.from(ENTRY_HEX, 'hex');

function replyOf(...entries: Buffer[]): Buffer {
  const body = Buffer.concat(entries);
  const h = Buffer.from('0413000000000042' + '0001' + '0000' + '00000000', 'hex');
  h.writeUInt16BE(16 + body.length, 2);
  return Buffer.concat([h, body]);
}

test('spec layout: every field lands where §7.3.5.2 puts it', () => {
  assert.equal(ENTRY.length, 0x68);
  assert.deepEqual(leanFlowStats(replyOf(ENTRY, ENTRY)), [
    {
      table_id: 3, priority: 100, duration_sec: 10, cookie: 0x4000000000000abcn, packet_count: 5n,
      byte_count: 320n, in_port: 7, out_port: 2, meter_id: 33, group_id: 5,
    },
  ].flatMap((x) => [x, x]));
});

test('body form and message form agree; the callback object is reused', () => {
  const msg = replyOf(ENTRY, ENTRY);
  const seen: FlowStatsLean[] = [];
  assert.equal(scanFlowStatsBody(msg, (e) => seen.push(e), 16, msg.length, 0), 2);
  assert.equal(seen[0], seen[1]);
  assert.equal(scanFlowStatsMessage(msg, () => {}), 2);
});

test('bad lengths give OfDecodeError with the offset from the message start', () => {
  const cases: [string, (b: Buffer) => void, RegExp, number][] = [
    ['entry below minimum', (b) => b.writeUInt16BE(40, 16), /below 56/, 16],
    ['entry past parent', (b) => b.writeUInt16BE(0x70, 16), /runs past/, 16],
    ['match length below 4', (b) => b.writeUInt16BE(3, 16 + 50), /below 4/, 16 + 50],
    ['match past entry', (b) => b.writeUInt16BE(0x68, 16 + 50), /runs past/, 16 + 50],
    ['OXM past match', (b) => (b[16 + 55] = 9), /OXM length 9 runs past/, 16 + 55],
    ['instruction length 0', (b) => b.writeUInt16BE(0, 16 + 66), /instruction length 0/, 16 + 66],
    ['instruction length not a multiple of 8', (b) => b.writeUInt16BE(12, 16 + 66), /multiple of 8/, 16 + 66],
    ['action past instruction', (b) => b.writeUInt16BE(0x30, 16 + 82), /action length 48 runs past/, 16 + 82],
    ['OUTPUT of the wrong size', (b) => b.writeUInt16BE(8, 16 + 90), /OUTPUT action length 8 is not 16/, 16 + 90],
    ['message length beyond buffer', (b) => b.writeUInt16BE(0x200, 2), /exceeds/, 2],
    ['not FLOW', (b) => b.writeUInt16BE(4, 8), /not FLOW/, 8],
  ];
  for (const [name, mutate, reason, offset] of cases) {
    const b = replyOf(ENTRY);
    mutate(b);
    assert.throws(
      () => leanFlowStats(b),
      (e: unknown) => e instanceof OfDecodeError && reason.test(e.reason) && e.offset === offset,
      name,
    );
  }
  assert.throws(() => leanFlowStats(replyOf(ENTRY).subarray(0, 70)), OfDecodeError);
  assert.throws(() => leanFlowStats(Buffer.alloc(5)), OfDecodeError);
});

// ---- A real Open vSwitch, and ovs-ofctl as the oracle for counters ---------------------------

interface OfctlFlow {
  cookie: bigint;
  table_id: number;
  priority: number;
  packet_count: bigint;
  byte_count: bigint;
  duration_sec: number;
  in_port: number | undefined;
  out_port: number | undefined;
  meter_id: number | undefined;
  group_id: number | undefined;
}

/** A rule of `ovs-ofctl dump-flows` (test/peers/ovs-dumps.ts) as the fields the lean path reports. */
function ofctlFlow(f: FlowDump): OfctlFlow {
  const opt = (m: RegExpExecArray | null): number | undefined => (m ? Number(m[1]) : undefined);
  return {
    cookie: f.cookie,
    table_id: f.table,
    priority: f.priority,
    packet_count: f.packets!,
    byte_count: f.bytes!,
    duration_sec: Math.floor(Number(f.duration.replace(/s$/, ''))),
    in_port: f.inPort || undefined,
    out_port: f.outPort || undefined,
    meter_id: opt(/(?:^|,)meter:(\d+)/.exec(f.actions)),
    group_id: opt(/(?:^|[,(])group:(\d+)/.exec(f.actions)),
  };
}

const key = (e: { table_id: number; priority: number; cookie: bigint }): string => `${e.table_id}/${e.priority}/${e.cookie}`;

test('real Open vSwitch 3.1: lean scan equals the full decoder and ovs-ofctl dump-flows', { timeout: 60_000 }, async () => {
  const ovs = await startOvs({ bridges: 1 });
  const target = ovs.bridges[0]!.mgmt;
  const of = (...a: string[]) => ovs.ofctl('-O', 'OpenFlow13', ...a);
  try {
    const files = writeRuleFiles(join(ovs.dir, 'rules'), 400, 7);
    await of('add-groups', target, files.groups);
    for (const m of readFileSync(files.meters, 'utf8').trim().split('\n')) await of('add-meter', target, m);
    await of('add-flows', target, files.flows);
    // Rules that traffic will hit, so counters are not all zero.
    await of('add-flow', target, 'table=0,priority=65000,cookie=0x4000000000000abc,in_port=1,ip,nw_dst=10.9.9.9,actions=meter:1,output:2');
    await of('add-flow', target, 'table=0,priority=65001,cookie=0x2000000000000abd,in_port=2,ip,actions=group:3');
    const pkt = (port: number, dst: string): string =>
      `in_port(${port}),eth(src=50:54:00:00:00:01,dst=50:54:00:00:00:02),eth_type(0x0800),ipv4(src=10.0.0.1,dst=${dst},proto=17,tos=0,ttl=64,frag=no),udp(src=1,dst=2)`;
    await ovs.appctl('netdev-dummy/receive', 'p1', ...Array.from({ length: 5 }, () => pkt(1, '10.9.9.9')));
    await ovs.appctl('netdev-dummy/receive', 'p2', ...Array.from({ length: 3 }, () => pkt(2, '10.1.1.1')));
    const dump = async (): Promise<OfctlFlow[]> => counted(parseFlows(await of('--no-names', 'dump-flows', target))).map(ofctlFlow);
    // The 8 packets, counted by the two rules they hit (the revalidator brings them), and no more moving.
    await settle(ovs, dump, (flows) => flows.reduce((n, f) => n + f.packet_count, 0n) === 8n);
    const cap = await captureFlowStats(target);
    const after = await dump();
    const messages = new Framer().push(cap.bytes);
    const lean = messages.flatMap((m) => leanFlowStats(m));

    assert.equal(lean.length, 402);
    assert.deepEqual(lean, fullProjection(messages));

    const ofctl = new Map(after.map((f) => [key(f), f]));
    assert.equal(ofctl.size, 402, 'the generated rules have distinct table/priority/cookie');
    let moved = 0;
    for (const e of lean) {
      const o = ofctl.get(key(e));
      assert.ok(o, `ovs-ofctl has no rule ${key(e)}`);
      const { duration_sec, ...rest } = e;
      const { duration_sec: odur, ...orest } = o;
      assert.deepEqual(rest, orest, key(e));
      assert.ok(Math.abs(duration_sec - odur) <= 2, `${key(e)} duration ${duration_sec} vs ${odur}`);
      if (e.packet_count > 0n) moved++;
    }
    assert.equal(moved, 2, 'the injected packets show in two rules');
    for (const f of ['in_port', 'out_port', 'meter_id', 'group_id'] as const) {
      assert.ok(lean.some((e) => e[f] !== undefined), `some rule has ${f}`);
    }
  } finally {
    await ovs.stop();
  }
});
