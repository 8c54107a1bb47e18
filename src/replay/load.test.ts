/**
 * A recording from raw switch bytes (spec layouts, OpenFlow 1.3.5 §7.3.1 features, §7.3.5
 * multipart, §7.4.4 errors): the datapath id, a reply cut off at the end of the input, and
 * ERRORs keyed by the request they quote.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BufferSource } from '../capture/byte-source.js';
import { multipartKey } from './keys.js';
import { loadRecording } from './load.js';

const hex = (s: string) => Buffer.from(s.replace(/\s+/g, ''), 'hex');

test('raw switch bytes: dpid, ERRORs keyed by the quoted request, a cut-off reply served with MORE cleared', () => {
  const input = Buffer.concat([
    hex('04 06 0020 00000001  00000000cafe0042 00000100 fe 00 0000 0000004f 00000000'), // FEATURES_REPLY
    // BAD_REQUEST / BAD_MULTIPART quoting a whole METER stats request (type 9, meter_id ALL).
    hex('04 01 0024 00000002  0001 0002  04 12 0018 00000002 0009 0000 00000000 ffffffff 00000000'),
    // HELLO_FAILED carries text, never a request: not a refusal to remember.
    hex('04 01 0014 00000003  0000 0000  04 12 0008 00000003'),
    // A PORT_DESC reply (type 13) whose last part is missing: REPLY_MORE set at the end of the input.
    hex('04 13 0014 00000004  000d 0001 00000000  01020304'),
  ]);
  const rec = loadRecording(new BufferSource(input));
  assert.equal(rec.profiles.length, 1);
  const p = rec.profiles[0]!;
  assert.equal(p.dpid, 0xcafe0042n);
  const refused = p.answers.get(multipartKey(9, hex('ffffffff 00000000')));
  assert.equal(refused?.kind, 'error');
  assert.equal(p.answers.size, 2);
  const cut = [...p.answers.values()].find((a) => a.kind === 'reply');
  assert.ok(cut?.kind === 'reply' && !cut.complete);
  assert.deepEqual(cut.parts, [hex('04 13 0014 00000004  000d 0000 00000000  01020304')]);
  assert.ok(rec.notices.some((n) => /xid 4 cut off after 1 part/.test(n)), rec.notices.join('\n'));
});

test('raw input too short for what is read from it is passed over, not thrown', () => {
  const input = Buffer.concat([
    hex('04 06 0010 00000001  00000000cafe0042'), // FEATURES_REPLY cut to 16 bytes
    hex('04 01 000a 00000002  0001'), // ERROR without its code
    hex('04 13 000c 00000003  000d 0000'), // MULTIPART_REPLY without its whole header
    hex('04 13 0010 00000004  0004 0000 00000000'), // an empty PORT_STATS reply: the one answer
  ]);
  const rec = loadRecording(new BufferSource(input));
  assert.equal(rec.profiles.length, 1);
  assert.equal(rec.profiles[0]!.dpid, undefined);
  assert.deepEqual([...rec.profiles[0]!.answers.values()].map((a) => a.kind), ['reply']);
});
