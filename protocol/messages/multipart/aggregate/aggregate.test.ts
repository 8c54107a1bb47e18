import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertDecodeError, corpusSuite, multipartBytes, roundTrip } from '../corpus-support.js';

corpusSuite('AGGREGATE');

test('AGGREGATE reply: ofp_aggregate_stats_reply (§7.3.5.3)', () => {
  const msg = roundTrip(multipartBytes(19, 2, 'ffffffffffffffff 0000000000001000 00000003 00000000'));
  assert.deepEqual(msg.body, [{ packet_count: 2n ** 64n - 1n, byte_count: 4096n, flow_count: 3 }]);
});

test('AGGREGATE request uses ofp_flow_stats_request; wrong sizes are errors', () => {
  const msg = roundTrip(
    multipartBytes(18, 2, 'ff000000 ffffffff ffffffff 00000000 0000000000000001 00000000000000ff 0001 0004 00000000'),
  );
  assert.deepEqual(msg.body, [
    { table_id: 0xff, out_port: 0xffffffff, out_group: 0xffffffff, cookie: 1n, cookie_mask: 0xffn, match: { type: 1, oxm_fields: [] } },
  ]);
  assertDecodeError(multipartBytes(19, 2, 'ffffffffffffffff 0000000000001000 00000003'), /expected 24/);
});
