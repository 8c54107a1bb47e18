import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeMessage } from '../../codec.js';
import { OfDecodeError } from '../../errors.js';
import { corpusSuite, encode, ofpPrint } from '../corpus-support.js';
import { barrierReply, barrierRequest } from './index.js';

const hex = (s: string) => Buffer.from(s.replace(/\s+/g, ''), 'hex');

test('BARRIER_REQUEST / BARRIER_REPLY are a bare header', () => {
  assert.deepEqual(decodeMessage(hex('04 14 0008 0000002a')), { version: 4, type: 'BARRIER_REQUEST', xid: 42 });
  assert.deepEqual(decodeMessage(hex('04 15 0008 0000002a')), { version: 4, type: 'BARRIER_REPLY', xid: 42 });
  assert.deepEqual(encode(barrierReply(barrierRequest(42))), hex('04 15 0008 0000002a'));
});

test('a barrier with a body is a typed decode error', () => {
  assert.throws(() => decodeMessage(hex('04 14 000c 0000002a 00000000')), OfDecodeError);
});

test('our BARRIER_REQUEST as ovs-ofctl reads it', () => {
  assert.equal(ofpPrint(encode(barrierRequest(0x1234))), 'OFPT_BARRIER_REQUEST (OF1.3) (xid=0x1234):\n');
});

corpusSuite('BARRIER', ['BARRIER_REQUEST', 'BARRIER_REPLY'], {
  ovs: (m, text) => {
    assert.equal(text, `OFPT_${m.type} (OF1.3) (xid=0x${m.xid.toString(16)}):\n`);
  },
});
