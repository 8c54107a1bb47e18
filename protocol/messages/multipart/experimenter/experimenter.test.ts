import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertDecodeError, corpusSuite, multipartBytes, roundTrip } from '../corpus-support.js';

const ONF = 0x4f4e4600; // ONF_EXPERIMENTER_ID
const BSN = 0x005c16c7; // Big Switch Networks

corpusSuite('EXPERIMENTER', {
  // Ryu decodes ONF flow monitor bodies (ONFMP_FLOW_MONITOR, 1870) itself into a list; the
  // codec keeps every experimenter body opaque.
  ryuBody: ({ flags: _f, type: _t, body, ...rest }) => {
    if (Array.isArray(body)) return [{ experimenter: ONF, exp_type: 1870 }];
    const e = (body ?? rest) as Record<string, unknown>;
    return [{ ...e, data: Buffer.from(e.data as string, 'base64') }];
  },
  lox: () => [{ experimenter: BSN }],
});

test('EXPERIMENTER: experimenter id, exp_type, opaque data', () => {
  const msg = roundTrip(multipartBytes(19, 0xffff, '00002320 00000007 01020304 05', 1));
  assert.deepEqual(msg.body, [{ experimenter: 0x2320, exp_type: 7, data: Buffer.from('0102030405', 'hex') }]);
  assert.deepEqual(roundTrip(multipartBytes(18, 0xffff, '00002320 00000007')).body, [
    { experimenter: 0x2320, exp_type: 7, data: Buffer.alloc(0) },
  ]);
  assertDecodeError(multipartBytes(18, 0xffff, '00002320'), /truncated exp_type/);
});
