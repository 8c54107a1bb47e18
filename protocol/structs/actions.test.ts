import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Reader } from '../wire/reader.js';
import { Writer } from '../wire/writer.js';
import { OfDecodeError, OfEncodeError } from '../errors.js';
import { decodeActions, encodeActions, type Action } from './actions.js';

const hex = (s: string) => Buffer.from(s.replace(/\s+/g, ''), 'hex');
function reencode(list: Action[]): string {
  const w = new Writer();
  encodeActions(w, list);
  return w.finish().toString('hex');
}

/** Each action type as the spec lays it out (§7.2.5), with the value a decoder must give. */
const CASES: [string, Action][] = [
  ['0000 0010 fffffffd ffe5 000000000000', { type: 'OUTPUT', port: 0xfffffffd, max_len: 0xffe5 }],
  ['000b 0008 00000000', { type: 'COPY_TTL_OUT' }],
  ['000c 0008 00000000', { type: 'COPY_TTL_IN' }],
  ['000f 0008 40 000000', { type: 'SET_MPLS_TTL', mpls_ttl: 64 }],
  ['0010 0008 00000000', { type: 'DEC_MPLS_TTL' }],
  ['0011 0008 8100 0000', { type: 'PUSH_VLAN', ethertype: 0x8100 }],
  ['0012 0008 00000000', { type: 'POP_VLAN' }],
  ['0013 0008 8847 0000', { type: 'PUSH_MPLS', ethertype: 0x8847 }],
  ['0014 0008 0800 0000', { type: 'POP_MPLS', ethertype: 0x0800 }],
  ['0015 0008 00000007', { type: 'SET_QUEUE', queue_id: 7 }],
  ['0016 0008 00000063', { type: 'GROUP', group_id: 99 }],
  ['0017 0008 0a 000000', { type: 'SET_NW_TTL', nw_ttl: 10 }],
  ['0018 0008 00000000', { type: 'DEC_NW_TTL' }],
  ['001a 0008 88e7 0000', { type: 'PUSH_PBB', ethertype: 0x88e7 }],
  ['001b 0008 00000000', { type: 'POP_PBB' }],
  // set_field vlan_vid: 4 + 6 = 10 bytes, padded to 16
  ['0019 0010 80000c02 1102 000000000000', {
    type: 'SET_FIELD', field: { class: 'OPENFLOW_BASIC', field: 'vlan_vid', value: 0x1102 },
  }],
  // set_field ipv6_dst: 4 + 20 = 24, no padding
  ['0019 0018 80003610 fe800000000000000000000000000001', {
    type: 'SET_FIELD', field: { class: 'OPENFLOW_BASIC', field: 'ipv6_dst', value: 'fe80::1' },
  }],
  // Nicira resubmit: opaque after the experimenter id
  ['ffff 0010 00002320 000e fffe 01 000000', { type: 'EXPERIMENTER', experimenter: 0x2320, data: hex('000efffe01000000') }],
  // A type OpenFlow 1.3 does not define
  ['0063 0008 01020304', { type: 0x63, data: hex('01020304') }],
];

test('every action type decodes from its spec layout and re-encodes', () => {
  for (const [bytes, action] of CASES) {
    assert.deepEqual(decodeActions(new Reader(hex(bytes))), [action], bytes);
    assert.equal(reencode([action]), bytes.replace(/\s+/g, ''), bytes);
  }
  const all = hex(CASES.map((c) => c[0]).join(''));
  assert.deepEqual(decodeActions(new Reader(all)), CASES.map((c) => c[1]));
});

test('malformed actions give OfDecodeError', () => {
  for (const b of [
    '0000', // truncated header
    '0000 0010 fffffffd', // runs past its parent
    '0000 0008 fffffffd', // OUTPUT with the wrong length
    '0012 0004', // below 8
    '0063 000c 0102030405060708', // not a multiple of 8
    '0000 0000', // zero length would never advance
    '0019 0008 80000004', // set_field OXM runs past the action
    '0019 0018 80000c02 1102 000000000000 0000000000000000', // set_field with surplus bytes
    'ffff 0008 0000', // experimenter without its id
  ]) {
    assert.throws(() => decodeActions(new Reader(hex(b))), OfDecodeError, b);
  }
});

test('encoding refuses values that do not fit', () => {
  assert.throws(() => reencode([{ type: 'OUTPUT', port: 2 ** 32, max_len: 0 }]), OfEncodeError);
  assert.throws(() => reencode([{ type: 'SET_NW_TTL', nw_ttl: 256 }]), OfEncodeError);
  assert.throws(() => reencode([{ type: 'NOPE' } as unknown as Action]), OfEncodeError);
});
