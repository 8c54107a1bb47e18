import { test } from 'node:test';
import assert from 'node:assert/strict';
import { codecCapabilities, decodeMessage, encodeMessage, canEncode, type EncodableMessage } from './codec.js';
import { OFPT, STATE_CHANGING_TYPES } from './constants.js';
import { OfDecodeError, OfEncodeError } from './errors.js';

test('read-only by construction: every state-changing type decodes but has no encoder', () => {
  const caps = new Map(codecCapabilities().map((c) => [c.name, c]));
  for (const t of STATE_CHANGING_TYPES) {
    const c = caps.get(t);
    assert.ok(c, `${t} must be decodable (a capture may hold it)`);
    assert.equal(c.encodes, false, `${t} must have no encoder`);
    assert.equal(canEncode(t), false);
    // Even a caller that forges the type gets a refusal, not bytes.
    assert.throws(() => encodeMessage({ version: 4, type: t, xid: 1 } as unknown as EncodableMessage), OfEncodeError);
  }
});

test('every OpenFlow 1.3 message type is known to the codec', () => {
  const known = new Set(codecCapabilities().map((c) => c.name));
  for (const name of Object.keys(OFPT)) assert.ok(known.has(name), `${name} missing`);
});

test('every non-state-changing type has an encoder', () => {
  for (const c of codecCapabilities()) {
    if ((STATE_CHANGING_TYPES as readonly string[]).includes(c.name)) continue;
    assert.equal(c.encodes, true, `${c.name} should be encodable`);
  }
});

test('decode errors carry type, xid and offset', () => {
  // FEATURES_REPLY (type 6) cut short: header says 32 bytes, only 12 follow the header.
  const bytes = Buffer.from('0406001400000063' + '0000000000000001' + '00000000', 'hex');
  assert.throws(() => decodeMessage(bytes), (e: unknown) => {
    assert.ok(e instanceof OfDecodeError);
    assert.equal(e.msgType, 'FEATURES_REPLY');
    assert.equal(e.xid, 0x63);
    assert.ok(e.offset >= 8 && e.offset <= 20, `offset ${e.offset}`);
    return true;
  });
});

test('a header length beyond the bytes given is an error, not a RangeError', () => {
  assert.throws(() => decodeMessage(Buffer.from('0402001000000001', 'hex')), OfDecodeError);
});

test('a non-1.3 message other than HELLO is refused with the version named', () => {
  assert.throws(() => decodeMessage(Buffer.from('ff02000800000001', 'hex')), /unsupported OpenFlow version 0xff/);
});

test('a HELLO of any version is readable (version negotiation)', () => {
  const m = decodeMessage(Buffer.from('0100000800000005', 'hex'));
  assert.equal(m.type, 'HELLO');
  assert.equal(m.version, 1);
});
