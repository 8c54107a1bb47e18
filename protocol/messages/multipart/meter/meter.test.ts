import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertDecodeError, corpusSuite, fromLox, multipartBytes, roundTrip } from '../corpus-support.js';

corpusSuite('METER', { lox: (e) => fromLox(e.entries) });

test('METER reply: ofp_meter_stats, its length at offset 4 (§7.3.5.12)', () => {
  const entry =
    '00000064 0038 000000000000 00000002 0000000000000010 0000000000000020 00000001 00000002' +
    '0000000000000003 0000000000000004';
  const msg = roundTrip(multipartBytes(19, 9, entry + entry));
  const one = {
    meter_id: 100, flow_count: 2, packet_in_count: 16n, byte_in_count: 32n, duration_sec: 1, duration_nsec: 2,
    band_stats: [{ packet_band_count: 3n, byte_band_count: 4n }],
  };
  assert.deepEqual(msg.body, [one, one]);
  assert.deepEqual(roundTrip(multipartBytes(18, 9, 'ffffffff 00000000')).body, [{ meter_id: 0xffffffff }]);
  assertDecodeError(multipartBytes(19, 9, '00000064 0020' + '00'.repeat(26)), /below its 40-byte minimum/);
});
