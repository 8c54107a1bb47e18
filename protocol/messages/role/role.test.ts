import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeMessage } from '../../codec.js';
import { OfDecodeError } from '../../errors.js';
import { corpusSuite, encode, ofpPrint } from '../corpus-support.js';
import { OFPCR_ROLE, OFPCR_ROLE_EQUAL, OFPCR_ROLE_MASTER, OFPCR_ROLE_NOCHANGE, OFPCR_ROLE_SLAVE, roleRequest } from './index.js';

const hex = (s: string) => Buffer.from(s.replace(/\s+/g, ''), 'hex');

test('ofp_controller_role values', () => {
  assert.deepEqual([OFPCR_ROLE_NOCHANGE, OFPCR_ROLE_EQUAL, OFPCR_ROLE_MASTER, OFPCR_ROLE_SLAVE], [0, 1, 2, 3]);
  assert.equal(OFPCR_ROLE.SLAVE, 3);
});

// ofp_role_request (§7.3.9): role u32, pad[4], generation_id u64.
test('ROLE_REQUEST / ROLE_REPLY from the spec layout; generation_id stays exact as a bigint', () => {
  const bytes = hex('04 19 0018 00000008  00000003 00000000 fffffffffffffffe');
  const m = decodeMessage(bytes);
  assert.deepEqual(m, { version: 4, type: 'ROLE_REPLY', xid: 8, role: 3, generation_id: 0xfffffffffffffffen });
  assert.deepEqual(encode(m), bytes);
});

test('a role message of the wrong length is a typed decode error', () => {
  assert.throws(() => decodeMessage(hex('04 18 0014 00000008  00000003 00000000 ffffffff')), OfDecodeError);
});

test('our ROLE_REQUEST as ovs-ofctl reads it', () => {
  assert.equal(ofpPrint(encode(roleRequest(9, OFPCR_ROLE_MASTER, 254n))), 'OFPT_ROLE_REQUEST (OF1.3) (xid=0x9): role=primary generation_id=254\n');
  assert.equal(ofpPrint(encode(roleRequest(9, OFPCR_ROLE_SLAVE, 2n ** 64n - 2n))), 'OFPT_ROLE_REQUEST (OF1.3) (xid=0x9): role=secondary generation_id=18446744073709551614\n');
  assert.equal(ofpPrint(encode(roleRequest(9, OFPCR_ROLE_EQUAL))), 'OFPT_ROLE_REQUEST (OF1.3) (xid=0x9): role=equal generation_id=0\n');
});

corpusSuite('ROLE', ['ROLE_REQUEST', 'ROLE_REPLY']);
