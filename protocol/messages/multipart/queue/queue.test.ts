import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertDecodeError, corpusSuite, multipartBytes, roundTrip } from '../corpus-support.js';

corpusSuite('QUEUE');

test('QUEUE: ofp_queue_stats_request and ofp_queue_stats (§7.3.5.6)', () => {
  assert.deepEqual(roundTrip(multipartBytes(18, 5, 'fffffffc ffffffff')).body, [{ port_no: 0xfffffffc, queue_id: 0xffffffff }]);
  const msg = roundTrip(
    multipartBytes(19, 5, '00000002 00000001 0000000000000400 0000000000000004 0000000000000000 00000007 00000008'),
  );
  assert.deepEqual(msg.body, [
    { port_no: 2, queue_id: 1, tx_bytes: 1024n, tx_packets: 4n, tx_errors: 0n, duration_sec: 7, duration_nsec: 8 },
  ]);
  assertDecodeError(multipartBytes(19, 5, '00'.repeat(39)), /40-byte entry/);
});
