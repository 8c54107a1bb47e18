import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertDecodeError, corpusSuite, multipartBytes, roundTrip } from '../corpus-support.js';

corpusSuite('GROUP_FEATURES');

test('GROUP_FEATURES reply: ofp_group_features (§7.3.5.11)', () => {
  const msg = roundTrip(
    multipartBytes(19, 8, '0000000f 00000005' + '00000001 00000002 00000003 00000004' + '03ff0001 03ff0002 03ff0003 03ff0004'),
  );
  assert.deepEqual(msg.body, [
    { types: 15, capabilities: 5, max_groups: [1, 2, 3, 4], actions: [0x03ff0001, 0x03ff0002, 0x03ff0003, 0x03ff0004] },
  ]);
  assert.deepEqual(roundTrip(multipartBytes(18, 8, '')).body, []);
  assertDecodeError(multipartBytes(19, 8, '00'.repeat(36)), /expected 40/);
});
