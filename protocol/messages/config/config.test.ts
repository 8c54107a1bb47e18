import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeMessage } from '../../codec.js';
import { OfDecodeError } from '../../errors.js';
import { assertNoEncoder, corpusSuite, encode, ofpPrint } from '../corpus-support.js';
import { families, getConfigRequest } from './index.js';

const hex = (s: string) => Buffer.from(s.replace(/\s+/g, ''), 'hex');

// ofp_switch_config (§7.3.2): flags u16, miss_send_len u16.
test('GET_CONFIG_REPLY and SET_CONFIG share ofp_switch_config', () => {
  const reply = hex('04 08 000c 00000003  0002 ffff');
  assert.deepEqual(decodeMessage(reply), { version: 4, type: 'GET_CONFIG_REPLY', xid: 3, flags: 2, miss_send_len: 0xffff });
  assert.deepEqual(encode(decodeMessage(reply)), reply);
  assert.deepEqual(decodeMessage(hex('04 09 000c 00000004  0001 0080')), { version: 4, type: 'SET_CONFIG', xid: 4, flags: 1, miss_send_len: 128 });
});

test('a switch config of the wrong length is a typed decode error', () => {
  assert.throws(() => decodeMessage(hex('04 08 000a 00000003  0002')), OfDecodeError);
  assert.throws(() => decodeMessage(hex('04 09 0010 00000003  0002 ffff 00000000')), OfDecodeError);
});

test('SET_CONFIG is state-changing: decoded, never encoded', () => {
  assertNoEncoder(families, 'SET_CONFIG', { flags: 0, miss_send_len: 128 });
});

test('our GET_CONFIG_REQUEST as ovs-ofctl reads it', () => {
  assert.equal(ofpPrint(encode(getConfigRequest(5))), 'OFPT_GET_CONFIG_REQUEST (OF1.3) (xid=0x5):\n');
});

corpusSuite('CONFIG', ['GET_CONFIG_REQUEST', 'GET_CONFIG_REPLY', 'SET_CONFIG']);
