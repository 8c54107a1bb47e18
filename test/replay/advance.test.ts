/**
 * Raw OpenFlow input (a switch's replies, no requests) and --advance with the default rate, on
 * replies from the corpus's Ericsson session; ovs-ofctl prints what the store serves.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeMessage, type EncodableMessage } from '../../protocol/codec.js';
import { wildcardKey } from '../../src/replay/keys.js';
import { loadRecordingFile } from '../../src/replay/load.js';
import { ReplyStore, type Served } from '../../src/replay/store.js';
import { CORPUS } from '../capture/paths.js';

const MSGS = join(CORPUS, 'pcap/tcpdump/of13_ericsson-msgs');
const msg = (kind: string) => readFileSync(join(MSGS, readdirSync(MSGS).find((f) => f.endsWith(`-${kind}.bin`))!));
const print = (b: Buffer) => execFileSync('ovs-ofctl', ['ofp-print', b.toString('hex')], { encoding: 'utf8' }).replace(/\(xid=0x[0-9a-f]+\)/g, '');
const request = (multipart_type: string, body: unknown[]) =>
  encodeMessage({ version: 4, type: 'MULTIPART_REQUEST', xid: 9, multipart_type, flags: 0, body } as unknown as EncodableMessage);

function rawRecording() {
  const dir = mkdtempSync(join(tmpdir(), 'ofstats-replay-'));
  try {
    const file = join(dir, 'replies.bin');
    writeFileSync(file, Buffer.concat(['FEATURES_REPLY', 'MULTIPART_REPLY_FLOW', 'MULTIPART_REPLY_TABLE', 'MULTIPART_REPLY_PORT_STATS'].map(msg)));
    return loadRecordingFile(file);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function partsOf(s: Served | undefined): readonly Buffer[] {
  assert.equal(s?.kind, 'reply');
  return s.kind === 'reply' ? s.parts : [];
}

const ALL_FLOWS = { table_id: 0xff, out_port: 0xffffffff, out_group: 0xffffffff, cookie: 0n, cookie_mask: 0n, match: { type: 1, oxm_fields: [] } };

test('raw replies without requests: one switch, each reply served for the "everything" request of its type', () => {
  const rec = rawRecording();
  assert.equal(rec.profiles.length, 1);
  const p = rec.profiles[0]!;
  assert.equal(p.dpid, msg('FEATURES_REPLY').readBigUInt64BE(8));
  const store = new ReplyStore(p, { startMs: 0 });
  assert.deepEqual(partsOf(store.lookup(wildcardKey(1), request('FLOW', [ALL_FLOWS]))), [msg('MULTIPART_REPLY_FLOW')]);
  assert.deepEqual(partsOf(store.lookup(wildcardKey(3), request('TABLE', []))), [msg('MULTIPART_REPLY_TABLE')]);
  assert.equal(store.lookup(wildcardKey(6), request('GROUP', [{ group_id: 0xfffffffc }])), undefined, 'no GROUP reply was recorded');
});

test('a request with another body is answered from the recorded reply, filtered by its selectors', () => {
  const p = rawRecording().profiles[0]!;
  const store = new ReplyStore(p, { startMs: 0 });
  const req = request('FLOW', [{ ...ALL_FLOWS, table_id: 1 }]);
  const got = partsOf(store.lookup(`mp1:${req.subarray(16).toString('hex')}`, req));
  const lines = print(got[0]!).split('\n').filter((l) => l.startsWith(' cookie='));
  const recorded = print(msg('MULTIPART_REPLY_FLOW')).split('\n').filter((l) => l.startsWith(' cookie='));
  assert.equal(recorded.length, 2);
  assert.deepEqual(lines, recorded.filter((l) => l.includes('table=1,')));
});

test('--advance without a second poll: packet counters at the default rate, bytes at the recorded packet size, durations with time', () => {
  const p = rawRecording().profiles[0]!;
  let now = 0;
  const store = new ReplyStore(p, { startMs: 0, advance: { defaultPps: 1000n }, now: () => now });
  const flows = () => partsOf(store.lookup(wildcardKey(1), request('FLOW', [ALL_FLOWS])));
  // At the start the re-encoded reply is the recorded one, byte for byte.
  assert.deepEqual(flows(), [msg('MULTIPART_REPLY_FLOW')]);
  now = 2_500;
  const at2 = flows();
  const recorded = print(msg('MULTIPART_REPLY_FLOW'));
  // ovs-ofctl's text of the recorded reply: 40 packets / 2400 bytes (60-byte packets), 438.000876 s.
  assert.match(recorded, /duration=438\.000876s, table=0, n_packets=40, n_bytes=2400,/);
  assert.match(print(at2[0]!), /duration=440\.000876s, table=0, n_packets=2040, n_bytes=122400,/);
  // A rule that had no traffic: 64-byte packets.
  assert.match(recorded, /table=1, n_packets=0, n_bytes=0,/);
  assert.match(print(at2[0]!), /table=1, n_packets=2000, n_bytes=128000,/);
  now = 2_900;
  assert.equal(flows()[0], at2[0], 'encoded at most once per second');
  now = 3_000;
  assert.notEqual(flows()[0], at2[0]);
  assert.match(print(flows()[0]!), /table=0, n_packets=3040,/);
});

test('--advance: port and table counters grow too; the 64-bit values stay exact', () => {
  const p = rawRecording().profiles[0]!;
  let now = 0;
  const store = new ReplyStore(p, { startMs: 0, advance: { defaultPps: 1000n }, now: () => now });
  now = 1_000;
  const ports = partsOf(store.lookup(wildcardKey(4), request('PORT_STATS', [{ port_no: 0xffffffff }])));
  assert.match(print(msg('MULTIPART_REPLY_PORT_STATS')), /port {2}1: rx pkts=40, bytes=2400,/);
  assert.match(print(ports[0]!), /port {2}1: rx pkts=1040, bytes=62400,/);
  const tables = partsOf(store.lookup(wildcardKey(3), request('TABLE', [])));
  assert.match(print(msg('MULTIPART_REPLY_TABLE')), /table 0:\s+active=1, lookup=40, matched=40/);
  assert.match(print(tables[0]!), /table 0:\s+active=1, lookup=1040, matched=1040/);
});
