import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Reader } from '../wire/reader.js';
import { Writer } from '../wire/writer.js';
import { OfDecodeError } from '../errors.js';
import { decodeMatch, encodeMatch, type Match } from './match.js';

const hex = (s: string) => Buffer.from(s.replace(/\s+/g, ''), 'hex');

test('ofp_match: type OXM, length without padding, padded to 8 (§7.2.2)', () => {
  // in_port=1, eth_type=0x0800: 4 + 8 + 6 = 18 bytes, then 6 bytes of padding.
  const bytes = hex('0001 0012 80000004 00000001 80000a02 0800 000000000000 ee');
  const r = new Reader(bytes);
  const m = decodeMatch(r);
  assert.deepEqual(m, {
    type: 1,
    oxm_fields: [
      { class: 'OPENFLOW_BASIC', field: 'in_port', value: 1 },
      { class: 'OPENFLOW_BASIC', field: 'eth_type', value: 0x800 },
    ],
  });
  assert.equal(r.pos, 24, 'the padding is consumed, what follows is not');
  const w = new Writer();
  encodeMatch(w, m);
  assert.equal(w.finish().toString('hex'), bytes.subarray(0, 24).toString('hex'));
});

test('an empty match is 4 bytes of header and 4 of padding', () => {
  const r = new Reader(hex('0001 0004 00000000'));
  assert.deepEqual(decodeMatch(r), { type: 1, oxm_fields: [] });
  assert.equal(r.remaining, 0);
  const w = new Writer();
  encodeMatch(w, { type: 1, oxm_fields: [] } satisfies Match);
  assert.equal(w.finish().toString('hex'), '0001000400000000');
});

test('malformed matches give OfDecodeError', () => {
  for (const b of [
    '0001', // truncated header
    '0001 0003 00000000 00', // length below the header
    '0000 0058', // OFPMT_STANDARD is not OpenFlow 1.3's
    '0001 000c 80000004 00000001', // padding missing
    '0001 0010 80000004 00000001', // length past the end
    '0001 000a 80000004 00000001 000000000000', // OXM runs past the match length
  ]) {
    assert.throws(() => decodeMatch(new Reader(hex(b))), OfDecodeError, b);
  }
});
