import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OfDecodeError, OfEncodeError } from '../errors.js';
import { Reader } from '../wire/reader.js';
import { Writer } from '../wire/writer.js';
import { decodePort, encodePort, OFP_PORT_LEN, type Port } from './port.js';

const hex = (s: string) => Buffer.from(s.replace(/\s+/g, ''), 'hex');

// ofp_port (§7.2.1): port_no u32, pad[4], hw_addr[6], pad[2], name[16], then eight u32:
// config, state, curr, advertised, supported, peer, curr_speed, max_speed.
const WIRE = hex(`
  00000003 00000000  0a1b2c3d4e5f 0000  7665746831000000 0000000000000000
  00000001 00000004  00000840 00002000  00003000 00000000  00989680 00e4e1c0`);
const PORT: Port = {
  port_no: 3,
  hw_addr: '0a:1b:2c:3d:4e:5f',
  name: 'veth1',
  config: 1,
  state: 4,
  curr: 0x840,
  advertised: 0x2000,
  supported: 0x3000,
  peer: 0,
  curr_speed: 10_000_000,
  max_speed: 15_000_000,
};

const enc = (p: Port) => {
  const w = new Writer();
  encodePort(w, p);
  return w.finish();
};

test('ofp_port decodes field by field from the spec layout, and encodes back', () => {
  assert.equal(WIRE.length, OFP_PORT_LEN);
  const r = new Reader(WIRE);
  assert.deepEqual(decodePort(r), PORT);
  assert.equal(r.remaining, 0);
  assert.deepEqual(enc(PORT), WIRE);
});

test('port names: UTF-8 when valid, Latin-1 otherwise; cut to 15 bytes on a character boundary', () => {
  const utf8 = Buffer.from(WIRE);
  utf8.fill(0, 16, 32);
  Buffer.from('pörtü', 'utf8').copy(utf8, 16);
  assert.equal(decodePort(new Reader(utf8)).name, 'pörtü');
  const latin = Buffer.from(WIRE);
  latin.fill(0, 16, 32);
  latin[16] = 0xe9;
  assert.equal(decodePort(new Reader(latin)).name, 'é');
  const full = Buffer.from(WIRE);
  full.fill(0x41, 16, 32); // no NUL at all: the name is all 16 bytes
  assert.equal(decodePort(new Reader(full)).name, 'A'.repeat(16));
  assert.equal(decodePort(new Reader(enc({ ...PORT, name: 'A'.repeat(16) }))).name, 'A'.repeat(16));
  const long = enc({ ...PORT, name: 'ééééééééé€' }); // 21 UTF-8 bytes: cut, NUL kept
  assert.equal(decodePort(new Reader(long)).name, 'ééééééé');
  assert.equal(long[16 + 14], 0);
});

test('every name the decoder produces encodes back to the same name', () => {
  // Latin-1 fallback names whose UTF-8 form would not fit 16 bytes (found by fuzzing).
  for (const raw of ['e7a781e381aee383dde383bce38388', 'e9e9e9e9e9e9e9e9e9e9e9e9e9e9e9e9', 'c3a7c2']) {
    const b = Buffer.from(WIRE);
    b.fill(0, 16, 32);
    Buffer.from(raw, 'hex').copy(b, 16);
    const p = decodePort(new Reader(b));
    assert.equal(decodePort(new Reader(enc(p))).name, p.name, raw);
  }
});

test('a port cut short is a typed decode error', () => {
  assert.throws(() => decodePort(new Reader(WIRE.subarray(0, 63))), OfDecodeError);
  assert.throws(() => decodePort(new Reader(WIRE.subarray(0, 10))), OfDecodeError);
});

test('a malformed MAC cannot be encoded', () => {
  assert.throws(() => enc({ ...PORT, hw_addr: '0a:1b:2c:3d:4e' }), OfEncodeError);
  assert.throws(() => enc({ ...PORT, hw_addr: 'zz:1b:2c:3d:4e:5f' }), OfEncodeError);
});
