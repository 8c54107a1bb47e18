/**
 * One simulated switch on a real socket, byte for byte against the spec's layouts (OpenFlow
 * 1.3.5 §7.1 header, §7.4.4 ofp_error_msg / ofp_error_experimenter_msg, §7.5.2 echo, §7.3.5
 * multipart): what it computes, what it serves from a recording, and that serving never
 * writes to the recorded bytes.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { once } from 'node:events';
import { Framer } from '../../protocol/framer.js';
import type { Log } from '../transport/link.js';
import { multipartKey } from './keys.js';
import type { Answer, Profile } from './recording.js';
import { ReplyStore } from './store.js';
import { serveConnection, SimSwitch } from './switch.js';

const hex = (s: string) => Buffer.from(s.replace(/\s+/g, ''), 'hex');
const quiet: Log = { debug() {}, info() {}, warn() {}, error() {}, child: () => quiet };

// A recorded PORT_STATS reply in two parts (REPLY_MORE on the first), bodies opaque to replay.
const PART1 = hex('04 13 0014 000000bb  0004 0001 00000000  deadbeef');
const PART2 = hex('04 13 0010 000000bc  0004 0000 00000000');
// GET_ASYNC refused by an experimenter error: exp_type 7, experimenter 0x2320, 8 bytes of data.
const EXP_ERROR = hex('04 01 0018 000000aa  ffff 0007 00002320  041a0008000000aa');
const PORT_STATS_BODY = hex('ffffffff 00000000');

function profile(): Profile {
  const answers = new Map<string, Answer>([
    [multipartKey(4, PORT_STATS_BODY), { kind: 'reply', parts: [PART1, PART2], complete: true }],
    [String(26), { kind: 'error', error: EXP_ERROR }],
  ]);
  return { dpid: 1n, features: undefined, answers, sessions: 1 };
}

/** Serves one switch, sends `requests` once the switch's HELLO arrived; returns every message after it. */
async function exchange(requests: Buffer[], until: (msgs: Buffer[]) => boolean): Promise<Buffer[]> {
  const features = hex('04 06 0020 00000000  0000000000000001 00000000 fe 00 0000 00000000 00000000');
  const sw = new SimSwitch(0, 1n, features, new ReplyStore(profile(), { startMs: 0 }));
  const server = net.createServer((s) => serveConnection(s, sw, { echoIntervalMs: 0, log: quiet }));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const c = net.connect((server.address() as net.AddressInfo).port, '127.0.0.1');
  const framer = new Framer();
  const got: Buffer[] = [];
  let ended = false;
  c.on('data', (d) => got.push(...framer.push(d)));
  c.on('end', () => (ended = true));
  try {
    await once(c, 'connect');
    c.write(Buffer.concat(requests));
    const deadline = Date.now() + 5_000;
    while (!until(got.slice(1)) && !ended && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    assert.equal(got[0]?.[1], 0, 'the switch says HELLO first');
    return got.slice(1);
  } finally {
    c.destroy();
    await new Promise((r) => server.close(r));
  }
}

test('fake controller (raw bytes): recorded answers with the xid patched, computed ECHO and ERRORs in the spec layout; recorded bytes untouched', async () => {
  const part1 = Buffer.from(PART1);
  const part2 = Buffer.from(PART2);
  const expError = Buffer.from(EXP_ERROR);
  const got = await exchange(
    [
      hex('04 00 0008 00000001'), // HELLO 1.3
      hex('04 02 000c 00000011  cafebabe'), // ECHO_REQUEST with data
      hex('05 05 0008 00000012'), // a FEATURES_REQUEST of version 0x05
      hex('04 1a 0008 00000013'), // GET_ASYNC_REQUEST: refused in the recording
      hex('04 12 0018 00000014  0004 0001 00000000  ffffffff 00000000'), // PORT_STATS, REQ_MORE: not answered
      hex('04 12 0018 00000015  0004 0000 00000000  ffffffff 00000000'), // its last part
      hex('04 12 0010 00000016  00ff 0000 00000000'), // a multipart type never recorded
      hex('04 14 0008 00000017'), // BARRIER_REQUEST
    ],
    (msgs) => msgs.some((m) => m[1] === 21),
  );
  assert.deepEqual(got.map((m) => m.toString('hex')), [
    '0403000c00000011cafebabe',
    // BAD_REQUEST (1) / BAD_VERSION (0), data: the request.
    '04010014000000120001000005050008' + '00000012',
    // The recorded experimenter error (type 0xffff, exp_type, experimenter) for this request.
    '0401001800000013ffff000700002320' + '041a000800000013',
    '04130014000000150004000100000000deadbeef',
    '04130010000000150004000000000000',
    // BAD_REQUEST (1) / BAD_MULTIPART (2).
    '0401001c00000016000100020412001000000016' + '00ff000000000000',
    '0415000800000017',
  ]);
  assert.deepEqual([PART1, PART2, EXP_ERROR], [part1, part2, expError]);
});

test('fake controller speaking only OpenFlow 1.0 gets HELLO_FAILED / INCOMPATIBLE with text, and the connection ends', async () => {
  const got = await exchange([hex('01 00 0008 00000005')], () => false);
  const text = Buffer.from('replayed switch speaks OpenFlow 1.3 only');
  assert.equal(got.length, 1);
  assert.deepEqual(got[0], Buffer.concat([hex(`04 01 ${(12 + text.length).toString(16).padStart(4, '0')} 00000005 0000 0000`), text]));
});
