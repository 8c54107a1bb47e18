import { test } from 'node:test';
import assert from 'node:assert/strict';
import { canEncode, decodeMessage } from '../../codec.js';
import { OfDecodeError } from '../../errors.js';
import { families, type GroupModMessage } from './index.js';

const hex = (s: string) => Buffer.from(s.replace(/\s+/g, ''), 'hex');

// ofp_group_mod (§7.3.4.2): command, type, pad, group_id, buckets.
const BYTES = hex(
  '04 0f 0048 00000003' +
  '0000 01 00 00000007' +
  '0020 0000 ffffffff ffffffff 00000000 0000 0010 00000001 0000 000000000000' +
  '0018 0000 ffffffff ffffffff 00000000 0016 0008 00000002',
);

test('GROUP_MOD decodes from the spec layout, its group type as group_type', () => {
  const expected: GroupModMessage = {
    version: 4, type: 'GROUP_MOD', xid: 3,
    command: 0, group_type: 1, group_id: 7,
    buckets: [
      { weight: 0, watch_port: 0xffffffff, watch_group: 0xffffffff, actions: [{ type: 'OUTPUT', port: 1, max_len: 0 }] },
      { weight: 0, watch_port: 0xffffffff, watch_group: 0xffffffff, actions: [{ type: 'GROUP', group_id: 2 }] },
    ],
  };
  assert.deepEqual(decodeMessage(BYTES), expected);
});

test('GROUP_MOD is state-changing: decoded, never encoded', () => {
  for (const f of families) assert.equal('encode' in f, false);
  assert.equal(canEncode('GROUP_MOD'), false);
});

test('truncated GROUP_MOD gives OfDecodeError', () => {
  for (const cut of [12, 20, 30, 50, 60]) {
    const b = Buffer.from(BYTES.subarray(0, cut));
    b.writeUInt16BE(cut, 2);
    assert.throws(() => decodeMessage(b), OfDecodeError, `cut at ${cut}`);
  }
});
