import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Reader } from '../wire/reader.js';
import { Writer } from '../wire/writer.js';
import { OfDecodeError } from '../errors.js';
import { decodeMeterBands, encodeMeterBands, type MeterBand } from './meter-band.js';

const hex = (s: string) => Buffer.from(s.replace(/\s+/g, ''), 'hex');

test('meter bands from the spec layout (§7.3.4.4) round-trip', () => {
  const bytes = hex(
    '0001 0010 000003e8 0000000a 00000000' +
    '0002 0010 000003e8 0000000a 01 000000' +
    'ffff 0010 000003e8 0000000a 000003e7' +
    'ffff 0018 00000001 00000002 00002320 0102030405060708' +
    '0009 0010 00000001 00000002 00000000',
  );
  const expected: MeterBand[] = [
    { type: 'DROP', rate: 1000, burst_size: 10 },
    { type: 'DSCP_REMARK', rate: 1000, burst_size: 10, prec_level: 1 },
    { type: 'EXPERIMENTER', rate: 1000, burst_size: 10, experimenter: 999, data: hex('') },
    { type: 'EXPERIMENTER', rate: 1, burst_size: 2, experimenter: 0x2320, data: hex('0102030405060708') },
    { type: 9, data: hex('000000010000000200000000') },
  ];
  assert.deepEqual(decodeMeterBands(new Reader(bytes)), expected);
  const w = new Writer();
  encodeMeterBands(w, expected);
  assert.equal(w.finish().toString('hex'), bytes.toString('hex'));
});

test('malformed meter bands give OfDecodeError', () => {
  for (const b of [
    '0001', // truncated
    '0001 0008 00000000', // below the 12-byte header
    '0001 0010 000003e8', // runs past its parent
    '0001 0018 000003e8 0000000a 00000000 0000000000000000', // DROP with the wrong length
    'ffff 000c 00000001 00000002', // experimenter without its id
  ]) {
    assert.throws(() => decodeMeterBands(new Reader(hex(b))), OfDecodeError, b);
  }
});
