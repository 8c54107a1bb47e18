import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeMessage } from '../../codec.js';
import { OfDecodeError } from '../../errors.js';
import { corpusSuite, encode, ofpPrint, type Expected } from '../corpus-support.js';
import { featuresRequest, OFPC, type FeaturesReplyMessage } from './index.js';

const hex = (s: string) => Buffer.from(s.replace(/\s+/g, ''), 'hex');

// ofp_switch_features (§7.3.1): datapath_id u64, n_buffers u32, n_tables u8, auxiliary_id u8,
// pad[2], capabilities u32, reserved u32.
test('FEATURES_REPLY from the spec layout; datapath_id is a bigint', () => {
  const bytes = hex('04 06 0020 00000002  fedcba9876543210 00000100 fe 01 0000 0000004f 00000000');
  const m = decodeMessage(bytes) as FeaturesReplyMessage;
  assert.deepEqual(m, {
    version: 4, type: 'FEATURES_REPLY', xid: 2,
    datapath_id: 0xfedcba9876543210n, n_buffers: 256, n_tables: 254, auxiliary_id: 1, capabilities: 0x4f, reserved: 0,
  });
  assert.deepEqual(encode(m), bytes);
});

test('a FEATURES_REPLY of the wrong length is a typed decode error', () => {
  assert.throws(() => decodeMessage(hex('04 06 001c 00000002  fedcba9876543210 00000100 fe 01 0000 0000004f')), OfDecodeError);
  assert.throws(() => decodeMessage(hex('04 05 000c 00000002 00000000')), OfDecodeError);
});

test('our FEATURES_REQUEST as ovs-ofctl reads it', () => {
  assert.equal(ofpPrint(encode(featuresRequest(0x10))), 'OFPT_FEATURES_REQUEST (OF1.3) (xid=0x10):\n');
});

corpusSuite('FEATURES', ['FEATURES_REQUEST', 'FEATURES_REPLY'], {
  ryu: (j): Expected => ({ value: j, ignore: (k) => k === 'reserved' }), // Ryu does not keep reserved
  ovs: (m, text) => {
    const f = m as FeaturesReplyMessage;
    const dpid = /dpid:([0-9a-f]{16})/.exec(text);
    assert.ok(dpid);
    assert.equal(f.datapath_id, BigInt(`0x${dpid[1]}`));
    assert.match(text, new RegExp(`n_tables:${f.n_tables}, n_buffers:${f.n_buffers}`));
    const aux = /auxiliary_id:(\d+)/.exec(text);
    assert.equal(f.auxiliary_id, aux ? Number(aux[1]) : 0);
    const caps = /capabilities: ([A-Z_ ]+)\n/.exec(text)![1]!.trim().split(' ');
    const ours = Object.entries(OFPC).filter(([, bit]) => f.capabilities & bit).map(([n]) => n);
    assert.deepEqual(ours.sort(), caps.sort());
  },
});
