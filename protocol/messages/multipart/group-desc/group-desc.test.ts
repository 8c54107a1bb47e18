import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertDecodeError, corpusSuite, fromLox, multipartBytes, roundTrip } from '../corpus-support.js';

corpusSuite('GROUP_DESC', {
  // loxigen calls ofp_group_desc.type `group_type`.
  lox: (e) =>
    (fromLox(e.entries) as Record<string, unknown>[]).map(({ group_type, ...rest }) => ({ ...rest, type: group_type })),
});

test('GROUP_DESC: empty request; a reply entry without buckets', () => {
  assert.deepEqual(roundTrip(multipartBytes(18, 7, '')).body, []);
  const msg = roundTrip(multipartBytes(19, 7, '0008 03 00 00000002'));
  assert.deepEqual(msg.body, [{ type: 3, group_id: 2, buckets: [] }]);
  assertDecodeError(multipartBytes(19, 7, '0004 03 00 00000002'), /below its 8-byte minimum/);
});
