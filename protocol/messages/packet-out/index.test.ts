import { test } from 'node:test';
import assert from 'node:assert/strict';
import { canEncode, decodeMessage } from '../../codec.js';
import { OfDecodeError } from '../../errors.js';
import { families, type PacketOutMessage } from './index.js';

const hex = (s: string) => Buffer.from(s.replace(/\s+/g, ''), 'hex');

// ofp_packet_out (§7.3.7): buffer_id, in_port, actions_len, 6 pad, actions, data.
const BYTES = hex(
  '04 0d 0038 00000005' +
  'ffffffff fffffffd 0018 000000000000' +
  '0011 0008 8100 0000 0000 0010 fffffffb 0000 000000000000' +
  'aabbccddeeff0011',
);

test('PACKET_OUT decodes from the spec layout', () => {
  const expected: PacketOutMessage = {
    version: 4, type: 'PACKET_OUT', xid: 5,
    buffer_id: 0xffffffff, in_port: 0xfffffffd,
    actions: [{ type: 'PUSH_VLAN', ethertype: 0x8100 }, { type: 'OUTPUT', port: 0xfffffffb, max_len: 0 }],
    data: hex('aabbccddeeff0011'),
  };
  assert.deepEqual(decodeMessage(BYTES), expected);
});

test('PACKET_OUT is state-changing: decoded, never encoded', () => {
  for (const f of families) assert.equal('encode' in f, false);
  assert.equal(canEncode('PACKET_OUT'), false);
});

test('PACKET_OUT whose actions_len overruns the message or splits an action gives OfDecodeError', () => {
  const over = Buffer.from(BYTES);
  over.writeUInt16BE(0x40, 16);
  assert.throws(() => decodeMessage(over), OfDecodeError);
  const split = Buffer.from(BYTES);
  split.writeUInt16BE(0x10, 16);
  assert.throws(() => decodeMessage(split), OfDecodeError);
  const cut = Buffer.from(BYTES.subarray(0, 20));
  cut.writeUInt16BE(20, 2);
  assert.throws(() => decodeMessage(cut), OfDecodeError);
});
