/**
 * The offline pipeline's pairing, checked against tshark's own decoding of the stored
 * fixtures (pcap-fixtures/), and its behaviour on captures cut anywhere.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { CaptureError } from '../capture/errors.js';
import { batchesFromCapture, batchesFromCaptureFile } from './sessions.js';
import { tsharkFields } from '../../test/capture/tshark.js';

const FIXTURES = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../../pcap-fixtures');
const load = (name: string, file: string): Buffer => {
  const raw = readFileSync(join(FIXTURES, name, file));
  return file.endsWith('.gz') ? gunzipSync(raw) : raw;
};

/** tshark's fields for the frames matching `filter`, every TCP stream decoded as OpenFlow. */
function openflowFields(bytes: Buffer, filter: string, fields: string[]): string[][] {
  const ports = tsharkFields(bytes, ['-Y', 'tcp.flags.syn==1 && tcp.flags.ack==0'], ['tcp.dstport']).map(([p]) => p!);
  // Loopback captures can list a segment after the one following it; tshark reassembles that only when asked.
  return tsharkFields(bytes, ['-o', 'tcp.reassemble_out_of_order:TRUE', ...[...new Set(ports)].flatMap((p) => ['-d', `tcp.port==${p},openflow`]),
    '-Y', filter], fields);
}

test('every ERROR tshark sees answers a poll that gives no batch, reported with its xid and the error tshark names', () => {
  const bytes = load('refused-meters-groups', 'capture.pcapng');
  const r = batchesFromCapture(bytes);
  // The xid field repeats for the request quoted in the ERROR's data: the first one is the ERROR's.
  const tshark = openflowFields(bytes, 'openflow_v4.type == 1', ['tcp.srcport', 'openflow_v4.xid', 'openflow_v4.error.type', 'openflow_v4.error.code'])
    .map(([sport, xids, type, code]) => `${sport} ${xids!.split(',')[0]} ${type!.split(',')[0]}/${code!.split(',')[0]}`).sort();
  const ours = r.unanswered.filter((u) => u.reason === 'error')
    .map((u) => `${/switch 127\.0\.0\.1:(\d+)/.exec(u.session)![1]} ${u.xid} ${u.detail === 'switch answered ERROR BAD_REQUEST/BAD_MULTIPART' ? '1/2' : u.detail}`).sort();
  assert.equal(tshark.length, 12);
  assert.deepEqual(ours, tshark);
  assert.equal(r.batches.some((b) => ['METER', 'GROUP', 'METER_CONFIG', 'GROUP_DESC'].includes(b.statType)), false);
});

test('a FLOW reply cut off by the switch dying: as many parts as tshark decodes, all announcing more, and no batch', () => {
  const bytes = load('cut-mid-flow-reply', 'capture.pcapng.gz');
  const r = batchesFromCapture(bytes);
  const cut = r.unanswered.filter((u) => u.reason === 'cut-off');
  assert.equal(cut.length, 1);
  const flags = openflowFields(bytes, `openflow_v4.multipart_reply.type == 1 && openflow_v4.xid == ${cut[0]!.xid} && tcp.srcport == ${/switch 127\.0\.0\.1:(\d+)/.exec(cut[0]!.session)![1]}`,
    ['openflow_v4.multipart_reply.flags']).flatMap((f) => f[0]!.split(','));
  assert.ok(flags.length > 1 && flags.every((f) => f === '0x0001'), `tshark: ${flags.length} parts, flags ${[...new Set(flags)].join(' ')}`);
  assert.match(cut[0]!.detail, new RegExp(`after ${flags.length} part\\(s\\)`));
  assert.equal(r.batches.some((b) => b.switchId === cut[0]!.switchId && b.statType === 'FLOW'), false);
});

test('a FLOW reply in many parts is one batch with every entry tshark counts', () => {
  const bytes = load('flows-10000', 'capture.pcapng.gz');
  const r = batchesFromCapture(bytes);
  const flow = r.batches.findIndex((b) => b.statType === 'FLOW');
  // One line per frame; a frame holding the end of one part and the next lists both, comma-separated.
  const parts = openflowFields(bytes, 'openflow_v4.multipart_reply.type == 1', ['openflow_v4.multipart_reply.flags']).flatMap((p) => p[0]!.split(','));
  assert.equal(r.parts[flow], parts.length);
  assert.deepEqual(parts, [...Array<string>(parts.length - 1).fill('0x0001'), '0x0000']);
  const cookies = openflowFields(bytes, 'openflow_v4.multipart_reply.type == 1', ['openflow_v4.flow_stats.cookie']).flatMap((p) => p[0]!.split(','));
  assert.ok(cookies.length > 10_000);
  assert.deepEqual((r.batches[flow]!.entries as { cookie: bigint }[]).map((e) => e.cookie), cookies.map((c) => BigInt(c)));
});

test('a capture cut at any byte gives polls and reports, or a CaptureError, never another exception', () => {
  const bytes = load('openkilda-3-switches', 'capture.pcapng');
  const whole = batchesFromCapture(bytes).batches.length;
  let seed = 7;
  const rnd = () => (seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32;
  for (let i = 0; i < 40; i++) {
    const cut = bytes.subarray(0, Math.floor(rnd() * bytes.length));
    try {
      const r = batchesFromCapture(cut);
      assert.ok(r.batches.length <= whole);
    } catch (e) {
      assert.ok(e instanceof CaptureError, `cut at ${cut.length}: ${String(e)}`);
    }
  }
});

test('a file that is no capture is a CaptureError', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ofstats-sessions-'));
  try {
    const f = join(dir, 'x');
    writeFileSync(f, 'not a capture at all');
    assert.throws(() => batchesFromCaptureFile(f), CaptureError);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
