import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeMessage } from '../../codec.js';
import { OfDecodeError } from '../../errors.js';
import { assertNoEncoder, corpusSuite, encode, ofpPrint } from '../corpus-support.js';
import { families, getAsyncRequest, type SetAsyncMessage } from './index.js';

const hex = (s: string) => Buffer.from(s.replace(/\s+/g, ''), 'hex');

// ofp_async_config (§7.3.10): packet_in_mask[2], port_status_mask[2], flow_removed_mask[2],
// element 0 for master/equal, element 1 for slave.
test('GET_ASYNC_REPLY masks as [master/equal, slave] pairs', () => {
  const bytes = hex('04 1b 0020 00000001  00000005 00000001  00000007 00000003  0000000f 00000003');
  const m = decodeMessage(bytes);
  assert.deepEqual(m, {
    version: 4, type: 'GET_ASYNC_REPLY', xid: 1,
    packet_in_mask: [5, 1], port_status_mask: [7, 3], flow_removed_mask: [15, 3],
  });
  assert.deepEqual(encode(m), bytes);
});

test('an async config of the wrong length is a typed decode error', () => {
  assert.throws(() => decodeMessage(hex('04 1b 001c 00000001  00000005 00000001  00000007 00000003  0000000f')), OfDecodeError);
  assert.throws(() => decodeMessage(hex('04 1a 000c 00000001  00000000')), OfDecodeError);
});

test('SET_ASYNC is state-changing: decoded, never encoded', () => {
  assertNoEncoder(families, 'SET_ASYNC', { packet_in_mask: [0, 0], port_status_mask: [0, 0], flow_removed_mask: [0, 0] });
});

test('our GET_ASYNC_REQUEST as ovs-ofctl reads it', () => {
  assert.equal(ofpPrint(encode(getAsyncRequest(0x77))), 'OFPT_GET_ASYNC_REQUEST (OF1.3) (xid=0x77):\n');
});

/** The reason names ovs-ofctl prints for each mask bit (ofp_packet_in_reason, ...). */
const REASONS: Record<string, string[]> = {
  PACKET_IN: ['no_match', 'action', 'invalid_ttl'],
  PORT_STATUS: ['add', 'delete', 'modify'],
  FLOW_REMOVED: ['idle', 'hard', 'delete', 'group_delete'],
};

corpusSuite('ASYNC', ['GET_ASYNC_REQUEST', 'GET_ASYNC_REPLY', 'SET_ASYNC'], {
  ovs: (m, text) => {
    const a = m as SetAsyncMessage;
    const [primary, secondary] = text.split(/\n secondary:\n/);
    assert.ok(primary && secondary);
    const masks = { PACKET_IN: a.packet_in_mask, PORT_STATUS: a.port_status_mask, FLOW_REMOVED: a.flow_removed_mask };
    for (const [role, part] of [[0, primary], [1, secondary]] as const) {
      for (const [kind, names] of Object.entries(REASONS)) {
        const line = new RegExp(`^ +${kind}: (.*)$`, 'm').exec(part)![1]!;
        const mask = masks[kind as keyof typeof masks][role];
        const ours = names.filter((_, bit) => (mask >>> bit) & 1);
        assert.deepEqual(line === '(off)' ? [] : line.trim().split(' '), ours, `${kind} role ${role}`);
      }
    }
  },
});
