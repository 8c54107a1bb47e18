import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertDecodeError, corpusSuite, multipartBytes, roundTrip } from '../corpus-support.js';

corpusSuite('PORT_DESC');

test('PORT_DESC: empty request; reply entries are 64-byte ofp_port', () => {
  assert.deepEqual(roundTrip(multipartBytes(18, 13, '')).body, []);
  const port =
    '00000001 00000000 0a0b0c0d0e0f 0000' + Buffer.from('eth1\0\0\0\0\0\0\0\0\0\0\0\0').toString('hex') +
    '00000000 00000004 00000840 00000840 00000840 00000000 00989680 00989680';
  const msg = roundTrip(multipartBytes(19, 13, port));
  assert.equal(msg.body.length, 1);
  const p = msg.body[0] as Record<string, unknown>;
  assert.equal(p.port_no, 1);
  assert.equal(p.name, 'eth1');
  assert.equal(p.hw_addr, '0a:0b:0c:0d:0e:0f');
  assert.equal(p.curr_speed, 10_000_000);
  assertDecodeError(multipartBytes(19, 13, port.slice(0, 120)), /64-byte entry/);
});
