import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Reader } from '../wire/reader.js';
import { Writer } from '../wire/writer.js';
import { OfDecodeError } from '../errors.js';
import { decodeBuckets, encodeBuckets, type Bucket } from './bucket.js';

const hex = (s: string) => Buffer.from(s.replace(/\s+/g, ''), 'hex');

test('ofp_bucket list from the spec layout (§7.3.4.2) round-trips', () => {
  const bytes = hex(
    '0020 0001 00000001 00000002 00000000 0000 0010 00000002 ffff 000000000000' +
    '0010 0000 ffffffff ffffffff 00000000',
  );
  const expected: Bucket[] = [
    { weight: 1, watch_port: 1, watch_group: 2, actions: [{ type: 'OUTPUT', port: 2, max_len: 0xffff }] },
    { weight: 0, watch_port: 0xffffffff, watch_group: 0xffffffff, actions: [] },
  ];
  assert.deepEqual(decodeBuckets(new Reader(bytes)), expected);
  const w = new Writer();
  encodeBuckets(w, expected);
  assert.equal(w.finish().toString('hex'), bytes.toString('hex'));
});

test('malformed buckets give OfDecodeError', () => {
  for (const b of [
    '00', // truncated length
    '0008 0000 00000000', // below the 16-byte header
    '0020 0001 00000001 00000002 00000000', // runs past its parent
    '0018 0001 00000001 00000002 00000000 0000 0010 00000002', // action runs past the bucket
  ]) {
    assert.throws(() => decodeBuckets(new Reader(hex(b))), OfDecodeError, b);
  }
});
