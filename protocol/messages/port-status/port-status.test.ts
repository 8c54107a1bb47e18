import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeMessage } from '../../codec.js';
import { OfDecodeError } from '../../errors.js';
import { corpusSuite, encode } from '../corpus-support.js';
import { OFPPR, type PortStatusMessage } from './index.js';

const hex = (s: string) => Buffer.from(s.replace(/\s+/g, ''), 'hex');

// ofp_port_status (§7.4.3): reason u8, pad[7], desc (64-byte ofp_port).
const PORT = `00000001 00000000  0a0b0c0d0e0f 0000  6574683000000000 0000000000000000
  00000000 00000004  00000840 00000000  00000000 00000000  00989680 00000000`;

test('PORT_STATUS: reason and the port description', () => {
  const bytes = hex(`04 0c 0050 00000000  02 00000000000000  ${PORT}`);
  const m = decodeMessage(bytes) as PortStatusMessage;
  assert.equal(m.reason, OFPPR.MODIFY);
  assert.deepEqual(m.desc, {
    port_no: 1, hw_addr: '0a:0b:0c:0d:0e:0f', name: 'eth0', config: 0, state: 4,
    curr: 0x840, advertised: 0, supported: 0, peer: 0, curr_speed: 10_000_000, max_speed: 0,
  });
  assert.deepEqual(encode(m), bytes);
});

test('a PORT_STATUS whose port is cut short or followed by extra bytes is a typed decode error', () => {
  const whole = hex(`04 0c 0050 00000000  02 00000000000000  ${PORT}`);
  const short = Buffer.from(whole.subarray(0, 0x4c));
  short.writeUInt16BE(0x4c, 2);
  assert.throws(() => decodeMessage(short), OfDecodeError);
  const long = Buffer.concat([whole, Buffer.alloc(8)]);
  long.writeUInt16BE(0x58, 2);
  assert.throws(() => decodeMessage(long), OfDecodeError);
});

corpusSuite('PORT_STATUS', ['PORT_STATUS']);
