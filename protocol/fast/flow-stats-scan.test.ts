import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeMessage } from '../codec.js';
import { OfDecodeError } from '../errors.js';
import { Framer } from '../framer.js';
import type { FlowStats } from '../messages/multipart/flow/reply.js';
import { flowStatsObjects, leanFlowStats, scanFlowStatsBody, scanFlowStatsMessage, type FlowStatsLean } from './flow-stats-scan.js';
import { FlowStatsColumns } from './flow-stats-columns.js';
import { parseJsonBig } from '../../test/conformance/bigjson.js';
import { counted, parseFlows, type FlowDump } from '../../test/peers/ovs-dumps.js';
import { settle, startOvs } from '../../test/peers/ovs.js';
import { captureFlowStats } from '../../bench/capture.js';
import { writeRuleFiles } from '../../scripts/ovs-rules.js';
import { CORPUS_PRESENT, CORPUS_ROOT } from '../../test/conformance/corpus.js';

const CORPUS = CORPUS_ROOT;

/**
 * What the lean path must report for an entry, read off the full decoder's objects: the
 * unmasked IN_PORT, the first OUTPUT of APPLY_ACTIONS, else of WRITE_ACTIONS (the order they
 * run in, §5.9), 0 for none.
 */
function project(fs: FlowStats): FlowStatsLean {
  let in_port: number | undefined;
  for (const f of fs.match.oxm_fields) {
    if (f.class === 'OPENFLOW_BASIC' && f.field === 'in_port' && f.mask === undefined) {
      in_port = f.value as number;
      break;
    }
  }
  const firstOutput = (kind: string): number | undefined => {
    for (const i of fs.instructions) {
      if (i.type !== kind) continue;
      for (const a of (i as { actions: { type: unknown; port?: number }[] }).actions) {
        if (a.type === 'OUTPUT') return a.port;
      }
    }
    return undefined;
  };
  return {
    table_id: fs.table_id, priority: fs.priority, cookie: fs.cookie, packet_count: fs.packet_count,
    byte_count: fs.byte_count, in_port: in_port ?? 0, out_port: firstOutput('APPLY_ACTIONS') ?? firstOutput('WRITE_ACTIONS') ?? 0,
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

/** Every message scanned into ONE columns object, as the connection does with a reply's parts. */
function columnsOf(messages: Buffer[], capacity = 1): FlowStatsColumns {
  const c = new FlowStatsColumns(capacity);
  for (const m of messages) scanFlowStatsMessage(m, c);
  return c;
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
  const firstOutput = (insType: number): number | undefined => {
    for (const t of fs['instructions'] as unknown[]) {
      const [kind, ins] = untag(t);
      if (kind !== 'OFPInstructionActions' || ins['type'] !== insType) continue;
      for (const at of ins['actions'] as unknown[]) {
        const [ak, a] = untag(at);
        if (ak === 'OFPActionOutput') return Number(a['port']);
      }
    }
    return undefined;
  };
  return {
    table_id: Number(fs['table_id']), priority: Number(fs['priority']),
    cookie: BigInt(fs['cookie'] as number), packet_count: BigInt(fs['packet_count'] as number),
    byte_count: BigInt(fs['byte_count'] as number), in_port: in_port ?? 0, out_port: firstOutput(4) ?? firstOutput(3) ?? 0,
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
  test('corpus: every flow-stats reply scanned into one columns object equals the full decoder', () => {
    const bufs = flowReplies.map((e) => readFileSync(join(CORPUS, e.file)));
    const c = columnsOf(bufs);
    assert.ok(c.length > 0);
    assert.deepEqual(flowStatsObjects(c), fullProjection(bufs));
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
      for (const f of ['in_port', 'out_port'] as const) {
        assert.ok(expected.some((x) => x[f] !== 0), `Ryu's sample exercises ${f}`);
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

/**
 * Counters beyond 2^53, where a number would round: cookie 0xfedcba9876543210, packets
 * 2^64-1, bytes 2^53+1; empty match, WRITE_ACTIONS output 5 listed before APPLY_ACTIONS
 * output 9 (apply runs first, so 9).
 */
const BIG_HEX =
  '0068' + '01' + '00' + '00000000' + '00000000' + '8000' + '0000' + '0000' + '0000' + '00000000' +
  'fedcba9876543210' + 'ffffffffffffffff' + '0020000000000001' +
  '00010004' + '00000000' + // match: none, padded to 8
  '00030018' + '00000000' + '0000001000000005ffff000000000000' + // WRITE: output 5
  '00040018' + '00000000' + '0000001000000009ffff000000000000'; // APPLY: output 9
const BIG = Buffer.from(BIG_HEX, 'hex');

function replyOf(...entries: Buffer[]): Buffer {
  const body = Buffer.concat(entries);
  const h = Buffer.from('0413000000000042' + '0001' + '0000' + '00000000', 'hex');
  h.writeUInt16BE(16 + body.length, 2);
  return Buffer.concat([h, body]);
}

test('spec layout: every field lands where §7.3.5.2 puts it', () => {
  assert.equal(ENTRY.length, 0x68);
  assert.deepEqual(leanFlowStats(replyOf(ENTRY, ENTRY)), [
    { table_id: 3, priority: 100, cookie: 0x4000000000000abcn, packet_count: 5n, byte_count: 320n, in_port: 7, out_port: 2 },
  ].flatMap((x) => [x, x]));
});

test('64-bit fields above 2^53 are exact in the halves and in the bigints', () => {
  assert.equal(BIG.length, 0x68);
  const msg = replyOf(BIG);
  const c = columnsOf([msg]);
  assert.equal(c.length, 1);
  assert.deepEqual([c.cookieHi[0], c.cookieLo[0]], [0xfedcba98, 0x76543210]);
  assert.deepEqual([c.packetsHi[0], c.packetsLo[0]], [0xffffffff, 0xffffffff]);
  assert.deepEqual([c.bytesHi[0], c.bytesLo[0]], [0x200000, 1]);
  assert.equal(c.cookie(0), 0xfedcba9876543210n);
  assert.equal(c.packets(0), 0xffffffffffffffffn);
  assert.equal(c.bytes(0), 2n ** 53n + 1n);
  assert.deepEqual(flowStatsObjects(c), [
    { table_id: 1, priority: 0x8000, cookie: 0xfedcba9876543210n, packet_count: 2n ** 64n - 1n, byte_count: 2n ** 53n + 1n, in_port: 0, out_port: 9 },
  ]);
  assert.deepEqual(flowStatsObjects(c), fullProjection([msg]));
});

test('messages append to one columns object, growing it; body form and message form agree', () => {
  const a = replyOf(ENTRY, BIG);
  const b = replyOf(BIG, ENTRY, ENTRY);
  const c = new FlowStatsColumns(1);
  assert.equal(scanFlowStatsMessage(a, c), 2);
  assert.equal(scanFlowStatsBody(b, c, 16, b.length, 0), 3);
  assert.equal(c.length, 5);
  assert.ok(c.capacity >= 5);
  assert.deepEqual(flowStatsObjects(c), fullProjection([a, b]));
  assert.equal(scanFlowStatsMessage(replyOf(), c), 0, 'an empty part adds nothing');
  assert.equal(c.length, 5);
});

test('a part that fails to decode leaves the columns as they were', () => {
  const c = columnsOf([replyOf(ENTRY, BIG)]);
  const before = flowStatsObjects(c);
  // Its first three entries are good (and grow the columns); the fourth has an OUTPUT of the wrong size.
  const bad = replyOf(BIG, ENTRY, BIG, ENTRY);
  bad.writeUInt16BE(8, 16 + 0x68 + 0x68 + 0x68 + 90);
  assert.throws(() => scanFlowStatsMessage(bad, c), (e: unknown) => e instanceof OfDecodeError && /OUTPUT action length 8/.test(e.reason));
  assert.equal(c.length, 2);
  assert.deepEqual(flowStatsObjects(c), before);
  // And the columns go on taking parts afterwards.
  assert.equal(scanFlowStatsMessage(replyOf(ENTRY), c), 1);
  assert.deepEqual(flowStatsObjects(c), fullProjection([replyOf(ENTRY, BIG, ENTRY)]));
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
    ['METER of the wrong size', (b) => b.writeUInt16BE(16, 16 + 66), /METER instruction length 16 is not 8/, 16 + 66],
    ['action past instruction', (b) => b.writeUInt16BE(0x30, 16 + 82), /action length 48 runs past/, 16 + 82],
    ['GROUP of the wrong size', (b) => b.writeUInt16BE(16, 16 + 82), /GROUP action length 16 is not 8/, 16 + 82],
    ['OUTPUT of the wrong size', (b) => b.writeUInt16BE(8, 16 + 90), /OUTPUT action length 8 is not 16/, 16 + 90],
    ['message length beyond buffer', (b) => b.writeUInt16BE(0x200, 2), /exceeds/, 2],
    ['not FLOW', (b) => b.writeUInt16BE(4, 8), /not FLOW/, 8],
  ];
  for (const [name, mutate, reason, offset] of cases) {
    const b = replyOf(ENTRY);
    mutate(b);
    const c = new FlowStatsColumns(1);
    assert.throws(
      () => scanFlowStatsMessage(b, c),
      (e: unknown) => e instanceof OfDecodeError && reason.test(e.reason) && e.offset === offset && e.xid === 0x42,
      name,
    );
    assert.equal(c.length, 0, name);
    // The full decoder rejects it too (it names the enclosing structure's offset, not the field's).
    assert.throws(() => decodeMessage(b), OfDecodeError, `${name}: full decoder`);
  }
  assert.throws(() => leanFlowStats(replyOf(ENTRY).subarray(0, 70)), OfDecodeError);
  assert.throws(() => leanFlowStats(Buffer.alloc(5)), OfDecodeError);
});

// ---- A real Open vSwitch, and ovs-ofctl as the oracle for counters ---------------------------

/** A rule of `ovs-ofctl dump-flows` (test/peers/ovs-dumps.ts) as the fields the lean path reports. */
function ofctlFlow(f: FlowDump): FlowStatsLean {
  return {
    table_id: f.table, priority: f.priority, cookie: f.cookie, packet_count: f.packets!, byte_count: f.bytes!,
    in_port: f.inPort, out_port: f.outPort,
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
    const dump = async (): Promise<FlowStatsLean[]> => counted(parseFlows(await of('--no-names', 'dump-flows', target))).map(ofctlFlow);
    // The 8 packets, counted by the two rules they hit (the revalidator brings them), and no more moving.
    await settle(ovs, dump, (flows) => flows.reduce((n, f) => n + f.packet_count, 0n) === 8n);
    const cap = await captureFlowStats(target);
    const after = await dump();
    const messages = new Framer().push(cap.bytes);
    const lean = flowStatsObjects(columnsOf(messages, 16));

    assert.equal(lean.length, 402);
    assert.deepEqual(lean, fullProjection(messages));

    const ofctl = new Map(after.map((f) => [key(f), f]));
    assert.equal(ofctl.size, 402, 'the generated rules have distinct table/priority/cookie');
    let moved = 0;
    for (const e of lean) {
      const o = ofctl.get(key(e));
      assert.ok(o, `ovs-ofctl has no rule ${key(e)}`);
      assert.deepEqual(e, o, key(e));
      if (e.packet_count > 0n) moved++;
    }
    assert.equal(moved, 2, 'the injected packets show in two rules');
    for (const f of ['in_port', 'out_port'] as const) {
      assert.ok(lean.some((e) => e[f] !== 0), `some rule has ${f}`);
    }
  } finally {
    await ovs.stop();
  }
});
