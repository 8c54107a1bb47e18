import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { decodeMessage, encodeMessage } from '../../codec.js';
import { OfDecodeError } from '../../errors.js';
import type { PacketInMessage } from './index.js';
import { corpusPath } from '../../../test/conformance/corpus.js';

const hex = (s: string) => Buffer.from(s.replace(/\s+/g, ''), 'hex');
const ovsDir = corpusPath('ovs/ofp-print-of13');

// ofp_packet_in (§7.4.1): buffer_id, total_len, reason, table_id, cookie, match, 2 pad, data.
const BYTES = hex(
  '04 0a 0038 00000007' +
  '00000100 0040 01 03 0000000000abcdef' +
  '0001 000c 80000004 00000002 00000000' +
  '0000' +
  'ffffffffffff 0011 2233 4455 0806',
);
const MESSAGE: PacketInMessage = {
  version: 4, type: 'PACKET_IN', xid: 7,
  buffer_id: 0x100, total_len: 64, reason: 1, table_id: 3, cookie: 0xabcdefn,
  match: { type: 1, oxm_fields: [{ class: 'OPENFLOW_BASIC', field: 'in_port', value: 2 }] },
  data: hex('ffffffffffff00112233445508 06'),
};

test('PACKET_IN decodes from the spec layout and encodes back to the same bytes', () => {
  assert.deepEqual(decodeMessage(BYTES), MESSAGE);
  assert.equal(encodeMessage(MESSAGE).toString('hex'), BYTES.toString('hex'));
});

test('truncated PACKET_IN gives OfDecodeError', () => {
  for (const cut of [9, 16, 24, 30, 36, 41]) {
    const b = Buffer.from(BYTES.subarray(0, cut));
    b.writeUInt16BE(cut, 2);
    assert.throws(() => decodeMessage(b), OfDecodeError, `cut at ${cut}`);
  }
});

const OVS_CASE = path.join(ovsDir, '003-OFPT_PACKET_IN_OF1_3.bin');
if (existsSync(OVS_CASE)) {
  test('OVS ofp-print vector: PACKET_IN with what ovs-ofctl prints for it, byte-exact re-encoding', () => {
    const bytes = readFileSync(OVS_CASE);
    const m = decodeMessage(bytes) as PacketInMessage;
    // "cookie=0x102030405060708 total_len=42 in_port=LOCAL (via no_match) data_len=42 buffer=0xffffff00"
    assert.equal(m.cookie, 0x102030405060708n);
    assert.equal(m.total_len, 42);
    assert.deepEqual(m.match.oxm_fields, [{ class: 'OPENFLOW_BASIC', field: 'in_port', value: 0xfffffffe }]);
    assert.equal(m.reason, 0);
    assert.equal(m.data.length, 42);
    assert.equal(m.buffer_id, 0xffffff00);
    assert.equal(encodeMessage(m).toString('hex'), bytes.toString('hex'));
  });
} else {
  console.log(`# OVS corpus not found at ${ovsDir}: its PACKET_IN vector is not run here`);
}
