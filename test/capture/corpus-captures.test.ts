/**
 * The corpus captures: the Ericsson OpenFlow 1.3 session (an edited excerpt: streams start
 * mid-connection and whole messages are cut out) and Ryu's three one-message captures,
 * compared with tshark's decoding run here.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { CORPUS, HAVE_CORPUS, runDecodeAsync } from './paths.js';
import { tsharkMessages } from './tshark.js';
import { byPlace, seenOf, sorted } from './compare.js';

const skip = HAVE_CORPUS ? false : `corpus not found at ${CORPUS} (set OFSTATS_CORPUS)`;

describe('ofstats decode on the corpus captures', { skip, concurrency: 4 }, () => {
  test('of13_ericsson.pcapng: the messages tshark finds, in the same frames; gaps reported, not errors', async () => {
    const file = join(CORPUS, 'pcap/tcpdump/of13_ericsson.pcapng');
    const [ours, theirs] = await Promise.all([runDecodeAsync([file]), tsharkMessages(file, [6633])]);
    assert.deepEqual(sorted(seenOf(ours)), sorted(theirs));
    assert.equal(theirs.filter((m) => m.version === 4).length, 101);
    // Every OpenFlow 1.3 message decodes; the only error is the OpenFlow 1.0 FEATURES_REQUEST
    // (frame 25) of a session that failed version negotiation: the codec reads 1.3 only.
    const errors = ours.lines.filter((l) => 'error' in l);
    assert.deepEqual(errors.map((e) => [e.frame, e.type, e.error]), [[25, 'FEATURES_REQUEST', 'unsupported OpenFlow version 0x01 at offset 0']]);
    assert.equal(ours.status, 1);
    // The excerpt's holes: every one reported on stderr, none breaks the framing.
    const gaps = ours.stderr.split('\n').filter(Boolean);
    assert.ok(gaps.length >= 10 && gaps.every((g) => /bytes missing from the capture before frame \d+$/.test(g)), ours.stderr);
    // Output follows the capture: frames never go backwards.
    const frames = ours.lines.map((l) => l.frame as number);
    assert.deepEqual(frames, [...frames].sort((a, b) => a - b));
    // The multipart types, as tshark names them, all 14 request/reply pairs of the session.
    const mp = new Set(ours.lines.filter((l) => l.type === 'MULTIPART_REPLY').map((l) => l.multipart_type));
    assert.equal(mp.size, 14);
  });

  for (const [name, type] of [['openflow_flowmod.pcap', 'FLOW_MOD'], ['openflow_flowstats_req.pcap', 'MULTIPART_REQUEST']] as const) {
    test(`ryu ${name}: one ${type}, as tshark decodes it`, async () => {
      const file = join(CORPUS, 'ryu/pcap', name);
      const [ours, theirs] = await Promise.all([runDecodeAsync([file]), tsharkMessages(file, [6633])]);
      assert.equal(ours.status, 0, ours.stdout + ours.stderr);
      assert.deepEqual(sorted(seenOf(ours)), sorted(theirs).sort(byPlace));
      assert.equal(ours.lines[0]!.type, type);
      assert.equal(ours.lines[0]!.src, '127.0.0.1:6633');
    });
  }

  test('ryu openflow_invalid_version.pcap: a message with version 0xff is an error object, exit 1', async () => {
    const ours = await runDecodeAsync([join(CORPUS, 'ryu/pcap/openflow_invalid_version.pcap')]);
    assert.equal(ours.status, 1);
    assert.equal(ours.lines.length, 1);
    const e = ours.lines[0]!;
    assert.equal(e.error, 'unsupported OpenFlow version 0xff at offset 0');
    assert.equal(e.frame, 1);
    assert.equal(e.xid, 0x78d072af);
    assert.match(String(e.hex), /^ff0e0050/);
    assert.doesNotMatch(ours.stderr, /at .*\.js:\d+/);
  });
});
