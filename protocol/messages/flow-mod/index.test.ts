import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { canEncode, decodeMessage, encodeMessage } from '../../codec.js';
import { OfDecodeError, OfEncodeError } from '../../errors.js';
import { families, type FlowModMessage } from './index.js';
import { corpusPath } from '../../../test/conformance/corpus.js';

const hex = (s: string) => Buffer.from(s.replace(/\s+/g, ''), 'hex');
const ovsDir = corpusPath('ovs/ofp-print-of13');

// ofp_flow_mod (§7.3.4.1): cookie, cookie_mask, table_id, command, idle/hard timeouts,
// priority, buffer_id, out_port, out_group, flags, 2 pad, match, instructions.
const BYTES = hex(
  '04 0e 0070 0000002a' +
  '8000000000000001 ffffffffffffffff 02 00 001e 0000 1000 ffffffff ffffffff ffffffff 0001 0000' +
  '0001 001c 80000004 00000003 8000090c 000000000000 ffffff000000 00000000' +
  '0001 0008 03 000000' +
  '0004 0018 00000000 0000 0010 fffffffd ffff 000000000000',
);

test('FLOW_MOD decodes from the spec layout', () => {
  const expected: FlowModMessage = {
    version: 4, type: 'FLOW_MOD', xid: 42,
    cookie: 0x8000000000000001n, cookie_mask: 0xffffffffffffffffn, table_id: 2, command: 0,
    idle_timeout: 30, hard_timeout: 0, priority: 0x1000, buffer_id: 0xffffffff,
    out_port: 0xffffffff, out_group: 0xffffffff, flags: 1,
    match: {
      type: 1,
      oxm_fields: [
        { class: 'OPENFLOW_BASIC', field: 'in_port', value: 3 },
        { class: 'OPENFLOW_BASIC', field: 'eth_src', value: '00:00:00:00:00:00', mask: 'ff:ff:ff:00:00:00' },
      ],
    },
    instructions: [
      { type: 'GOTO_TABLE', table_id: 3 },
      { type: 'APPLY_ACTIONS', actions: [{ type: 'OUTPUT', port: 0xfffffffd, max_len: 0xffff }] },
    ],
  };
  assert.deepEqual(decodeMessage(BYTES), expected);
});

test('FLOW_MOD is state-changing: decoded, never encoded', () => {
  for (const f of families) assert.equal('encode' in f, false);
  assert.equal(canEncode('FLOW_MOD'), false);
  assert.throws(() => encodeMessage(decodeMessage(BYTES) as never), OfEncodeError);
});

test('truncated FLOW_MOD gives OfDecodeError', () => {
  for (const cut of [20, 55, 60, 64, 70, 78, 90]) {
    const b = Buffer.from(BYTES.subarray(0, cut));
    b.writeUInt16BE(cut, 2);
    assert.throws(() => decodeMessage(b), OfDecodeError, `cut at ${cut}`);
  }
});

for (const [file, check] of [
  ['006-OFPT_FLOW_MOD_OF1_3_flags_low_verbosity.bin', (m: FlowModMessage) => {
    // "ADD table:1 priority=65535,arp,in_port=1,vlan_tci=0x0000/0x1fff,dl_src=50:54:00:00:00:06,
    //  dl_dst=50:54:00:00:00:05,arp_spa=192.168.0.2,arp_tpa=192.168.0.1,arp_op=2 send_flow_rem
    //  check_overlap reset_counts no_packet_counts no_byte_counts actions=output:3"
    assert.equal(m.command, 0);
    assert.equal(m.table_id, 1);
    assert.equal(m.priority, 65535);
    assert.equal(m.flags, 0x1f);
    const byName = Object.fromEntries(m.match.oxm_fields.map((f) => [f.field, 'value' in f ? f.value : f]));
    assert.deepEqual(byName, {
      in_port: 1, eth_src: '50:54:00:00:00:06', eth_dst: '50:54:00:00:00:05', eth_type: 0x0806,
      vlan_vid: 0, arp_op: 2, arp_spa: '192.168.0.2', arp_tpa: '192.168.0.1',
    });
    assert.deepEqual(m.instructions, [{ type: 'APPLY_ACTIONS', actions: [{ type: 'OUTPUT', port: 3, max_len: 0 }] }]);
  }],
  ['007-OFPT_FLOW_MOD_OF1_3_meter.bin', (m: FlowModMessage) => {
    // "ADD priority=1000 actions=meter:1"
    assert.equal(m.command, 0);
    assert.equal(m.priority, 1000);
    assert.deepEqual(m.match.oxm_fields, []);
    assert.deepEqual(m.instructions, [{ type: 'METER', meter_id: 1 }]);
  }],
] as const) {
  const p = path.join(ovsDir, file);
  if (!existsSync(p)) {
    console.log(`# OVS corpus not found at ${ovsDir}: ${file} is not run here`);
    continue;
  }
  test(`OVS ofp-print vector ${file}: the fields ovs-ofctl prints`, () => {
    check(decodeMessage(readFileSync(p)) as FlowModMessage);
  });
}
