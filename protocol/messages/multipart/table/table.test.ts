import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertDecodeError, corpusSuite, multipartBytes, roundTrip } from '../corpus-support.js';

corpusSuite('TABLE');

test('TABLE reply: ofp_table_stats entries (§7.3.5.4)', () => {
  const msg = roundTrip(
    multipartBytes(19, 3, '00 000000 00000005 0000000000000064 0000000000000032' + 'fe 000000 00000000 8000000000000000 0000000000000000'),
  );
  assert.deepEqual(msg.body, [
    { table_id: 0, active_count: 5, lookup_count: 100n, matched_count: 50n },
    { table_id: 254, active_count: 0, lookup_count: 2n ** 63n, matched_count: 0n },
  ]);
});

test('TABLE: empty request; a reply that is not whole entries is an error', () => {
  assert.deepEqual(roundTrip(multipartBytes(18, 3, '')).body, []);
  assertDecodeError(multipartBytes(19, 3, '00'.repeat(30)), /not a multiple of the 24-byte entry/);
});
