/**
 * `ofstats replay` on the corpus's Ericsson capture (a real OpenFlow 1.3 session with gaps):
 * it loads, keeps every reply byte for byte as the corpus cut it, and a real controller
 * (ovs-ofctl, dialling the replayed switch) prints what ovs-ofctl prints for the recorded bytes.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadRecordingFile } from '../../src/replay/load.js';
import { multipartKey } from '../../src/replay/keys.js';
import { CORPUS } from '../capture/paths.js';
import { startReplay, type ReplayProcess } from './helpers.js';

const CAPTURE = join(CORPUS, 'pcap/tcpdump/of13_ericsson.pcapng');
const MSGS = join(CORPUS, 'pcap/tcpdump/of13_ericsson-msgs');

function corpusMsg(kind: string): Buffer[] {
  return readdirSync(MSGS).filter((f) => f.endsWith(`-${kind}.bin`)).sort().map((f) => readFileSync(join(MSGS, f)));
}

function ofctl(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('ovs-ofctl', args, { timeout: 10_000 }, (err, stdout, stderr) => (err ? reject(new Error(`${args.join(' ')}: ${stderr}`)) : resolve(stdout)));
  });
}
/** ovs-ofctl's text for a message, without the first line's xid. */
const printed = (text: string) => text.replace(/\(xid=0x[0-9a-f]+\)/g, '').trim();

test('the Ericsson capture loads despite its gaps: one switch, its FEATURES_REPLY and every reply as the corpus cut it', () => {
  const rec = loadRecordingFile(CAPTURE);
  assert.ok(rec.notices.some((n) => /missing from the capture/.test(n)), 'the gaps are reported');
  assert.equal(rec.profiles.length, 1);
  const p = rec.profiles[0]!;
  const features = corpusMsg('FEATURES_REPLY')[0]!;
  assert.deepEqual(p.features, features);
  assert.equal(p.dpid, features.readBigUInt64BE(8));
  const replies = readdirSync(MSGS).filter((f) => /MULTIPART_REPLY_.*\.bin$/.test(f)).map((f) => readFileSync(join(MSGS, f)));
  const served = [...p.answers.values()].flatMap((a) => (a.kind === 'reply' ? a.parts : []));
  for (const r of replies) assert.ok(served.some((s) => s.equals(r)), `reply type ${r.readUInt16BE(8)} xid ${r.readUInt32BE(4)} kept`);
  // TABLE_FEATURES came in 8 parts; the request had no body.
  const tf = p.answers.get(multipartKey(12, Buffer.alloc(0)));
  assert.equal(tf?.kind, 'reply');
  assert.deepEqual(tf.kind === 'reply' ? tf.parts : [], corpusMsg('MULTIPART_REPLY_TABLE_FEATURES'));
});

let replay: ReplayProcess;
before(async () => {
  replay = await startReplay([CAPTURE, '--listen', '127.0.0.1:0', '--switches', '2', '--dpid-base', '0x100']);
});
after(async () => {
  await replay?.stop();
});

const COMMANDS: [string[], string][] = [
  [['dump-desc'], 'MULTIPART_REPLY_DESC'],
  [['dump-flows'], 'MULTIPART_REPLY_FLOW'],
  [['dump-aggregate'], 'MULTIPART_REPLY_AGGREGATE'],
  [['dump-tables'], 'MULTIPART_REPLY_TABLE'],
  [['dump-ports'], 'MULTIPART_REPLY_PORT_STATS'],
  [['queue-stats'], 'MULTIPART_REPLY_QUEUE'],
  [['dump-group-stats'], 'MULTIPART_REPLY_GROUP'],
  [['dump-groups'], 'MULTIPART_REPLY_GROUP_DESC'],
  [['dump-group-features'], 'MULTIPART_REPLY_GROUP_FEATURES'],
  [['meter-stats'], 'MULTIPART_REPLY_METER'],
  [['dump-meters'], 'MULTIPART_REPLY_METER_CONFIG'],
  [['meter-features'], 'MULTIPART_REPLY_METER_FEATURES'],
  [['dump-ports-desc'], 'MULTIPART_REPLY_PORT_DESC'],
];

for (const [cmd, kind] of COMMANDS) {
  test(`ovs-ofctl ${cmd.join(' ')} against the replayed switch prints the recorded ${kind}`, async () => {
    const recorded = corpusMsg(kind)[0]!;
    const want = printed(await ofctl(['ofp-print', recorded.toString('hex')]));
    const got = printed(await ofctl(['-O', 'OpenFlow13', ...cmd, replay.targets[1]!]));
    assert.equal(got, want);
  });
}

test('each replayed switch has its own datapath id; features otherwise as recorded', async () => {
  const recorded = printed(await ofctl(['ofp-print', corpusMsg('FEATURES_REPLY')[0]!.toString('hex')]));
  for (const [i, t] of replay.targets.entries()) {
    const got = printed(await ofctl(['-O', 'OpenFlow13', 'show', t]));
    const dpid = (0x100 + i).toString(16).padStart(16, '0');
    assert.ok(got.includes(`dpid:${dpid}`), got);
    assert.equal(got.split('\n')[1], recorded.split('\n')[1]!.replace(/dpid:[0-9a-f]+/, `dpid:${dpid}`).replace(/^.*?(n_tables)/, '$1'));
  }
});
