import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertDecodeError, corpusSuite, multipartBytes, roundTrip } from '../corpus-support.js';

corpusSuite('DESC');

function field(s: string | Buffer, n: number): Buffer {
  const b = Buffer.alloc(n);
  (typeof s === 'string' ? Buffer.from(s, 'utf8') : s).copy(b);
  return b;
}

// ofp_desc (§7.3.5.1): mfr, hw, sw 256 bytes each, serial_num 32, dp_desc 256.
const DESC = Buffer.concat([
  field('Nicira, Inc.', 256),
  field('Open vSwitch', 256),
  field('3.1.0', 256),
  field('None', 32),
  field('br0 — test bridge', 256),
]);

test('DESC reply: the five strings, NUL padding dropped, UTF-8 kept', () => {
  const msg = roundTrip(multipartBytes(19, 0, DESC));
  assert.deepEqual(msg.body, [
    { mfr_desc: 'Nicira, Inc.', hw_desc: 'Open vSwitch', sw_desc: '3.1.0', serial_num: 'None', dp_desc: 'br0 — test bridge' },
  ]);
});

test('DESC reply: a string filling its whole field (no NUL) survives', () => {
  const serial = 'S'.repeat(32);
  const bytes = multipartBytes(19, 0, Buffer.concat([DESC.subarray(0, 768), Buffer.from(serial), DESC.subarray(800)]));
  const msg = roundTrip(bytes);
  assert.equal((msg.body[0] as { serial_num: string }).serial_num, serial);
});

test('DESC request has an empty body; a reply of the wrong size is an error', () => {
  const msg = roundTrip(multipartBytes(18, 0, ''));
  assert.equal(msg.multipart_type, 'DESC');
  assert.deepEqual(msg.body, []);
  assertDecodeError(multipartBytes(19, 0, DESC.subarray(0, 1000)), /expected 1056/);
  assertDecodeError(multipartBytes(18, 0, '00000000'), /trailing/);
});
