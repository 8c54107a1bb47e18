import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeMessage } from '../../codec.js';
import { corpusSuite, encode, ofpPrint } from '../corpus-support.js';
import { echoReply, echoRequest, type EchoRequestMessage } from './index.js';

const hex = (s: string) => Buffer.from(s.replace(/\s+/g, ''), 'hex');

test('ECHO_REQUEST data is opaque and the reply returns it with the same xid', () => {
  const req = decodeMessage(hex('04 02 000c 00000005 01020304')) as EchoRequestMessage;
  assert.equal(req.type, 'ECHO_REQUEST');
  assert.deepEqual(req.data, hex('01020304'));
  assert.deepEqual(encode(echoReply(req)), hex('04 03 000c 00000005 01020304'));
  assert.deepEqual(decodeMessage(hex('04 03 0008 00000006')), { version: 4, type: 'ECHO_REPLY', xid: 6, data: Buffer.alloc(0) });
});

test('our ECHO_REQUEST as ovs-ofctl reads it', () => {
  assert.match(ofpPrint(encode(echoRequest(7, hex('aabbcc')))), /^OFPT_ECHO_REQUEST \(OF1\.3\) \(xid=0x7\): 3 bytes of payload\n/);
});

corpusSuite('ECHO', ['ECHO_REQUEST', 'ECHO_REPLY']);
