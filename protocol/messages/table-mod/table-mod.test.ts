import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeMessage } from '../../codec.js';
import { OfDecodeError } from '../../errors.js';
import { assertNoEncoder, corpusSuite } from '../corpus-support.js';
import { families, type TableModMessage } from './index.js';

const hex = (s: string) => Buffer.from(s.replace(/\s+/g, ''), 'hex');

// ofp_table_mod (§7.3.3): table_id u8, pad[3], config u32.
test('TABLE_MOD from the spec layout', () => {
  assert.deepEqual(decodeMessage(hex('04 11 0010 00000002  ff 000000 00000003')), {
    version: 4, type: 'TABLE_MOD', xid: 2, table_id: 0xff, config: 3,
  });
});

test('a TABLE_MOD of the wrong length is a typed decode error', () => {
  assert.throws(() => decodeMessage(hex('04 11 000c 00000002  ff 000000')), OfDecodeError);
});

test('TABLE_MOD is state-changing: decoded, never encoded', () => {
  assertNoEncoder(families, 'TABLE_MOD', { table_id: 0, config: 0 });
});

corpusSuite('TABLE_MOD', ['TABLE_MOD'], {
  ovs: (m, text) => {
    assert.match(text, new RegExp(`table_id=${(m as TableModMessage).table_id}\\n`));
  },
});
