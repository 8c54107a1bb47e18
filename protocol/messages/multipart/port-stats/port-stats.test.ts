import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertDecodeError, corpusSuite, multipartBytes, roundTrip } from '../corpus-support.js';

corpusSuite('PORT_STATS');

const counters = Array.from({ length: 12 }, (_, k) => (BigInt(k + 1) << 40n).toString(16).padStart(16, '0')).join('');

test('PORT_STATS reply: ofp_port_stats, 112 bytes, twelve 64-bit counters in spec order', () => {
  const msg = roundTrip(multipartBytes(19, 4, '00000001 00000000' + counters + '0000000a 0000000b'));
  const c = (k: number) => BigInt(k) << 40n;
  assert.deepEqual(msg.body, [
    {
      port_no: 1,
      rx_packets: c(1), tx_packets: c(2), rx_bytes: c(3), tx_bytes: c(4), rx_dropped: c(5), tx_dropped: c(6),
      rx_errors: c(7), tx_errors: c(8), rx_frame_err: c(9), rx_over_err: c(10), rx_crc_err: c(11), collisions: c(12),
      duration_sec: 10, duration_nsec: 11,
    },
  ]);
});

test('PORT_STATS request: port_no; bad sizes are errors', () => {
  assert.deepEqual(roundTrip(multipartBytes(18, 4, 'ffffffff 00000000')).body, [{ port_no: 0xffffffff }]);
  assertDecodeError(multipartBytes(18, 4, 'ffffffff'), /expected 8/);
  assertDecodeError(multipartBytes(19, 4, '00000001 00000000' + counters), /112-byte entry/);
});
