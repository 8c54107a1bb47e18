import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertDecodeError, corpusSuite, fromLox, multipartBytes, roundTrip } from '../corpus-support.js';

corpusSuite('GROUP', { lox: (e) => fromLox(e.entries) });

test('GROUP reply: ofp_group_stats with bucket counters (§7.3.5.9)', () => {
  const entry =
    '0038 0000 00000001 00000002 00000000 000000000000000a 0000000000000064 00000003 00000004' +
    '0000000000000001 0000000000000002';
  const msg = roundTrip(multipartBytes(19, 6, entry));
  assert.deepEqual(msg.body, [
    {
      group_id: 1, ref_count: 2, packet_count: 10n, byte_count: 100n, duration_sec: 3, duration_nsec: 4,
      bucket_stats: [{ packet_count: 1n, byte_count: 2n }],
    },
  ]);
  assert.deepEqual(roundTrip(multipartBytes(18, 6, 'fffffffc 00000000')).body, [{ group_id: 0xfffffffc }]);
});

test('GROUP reply: bucket counters that are not whole 16-byte entries are an error', () => {
  const entry = '0030 0000 00000001 00000002 00000000' + '00'.repeat(24) + '00'.repeat(8);
  assertDecodeError(multipartBytes(19, 6, entry), /16-byte entry/);
});
