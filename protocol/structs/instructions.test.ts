import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Reader } from '../wire/reader.js';
import { Writer } from '../wire/writer.js';
import { OfDecodeError } from '../errors.js';
import { decodeInstructions, encodeInstructions, type Instruction } from './instructions.js';

const hex = (s: string) => Buffer.from(s.replace(/\s+/g, ''), 'hex');

/** Each instruction type as the spec lays it out (§7.2.4). */
const CASES: [string, Instruction][] = [
  ['0001 0008 05 000000', { type: 'GOTO_TABLE', table_id: 5 }],
  ['0002 0018 00000000 fedcba9876543210 ffffffffffffffff', {
    type: 'WRITE_METADATA', metadata: 0xfedcba9876543210n, metadata_mask: 0xffffffffffffffffn,
  }],
  ['0003 0018 00000000 0000 0010 00000001 ffff 000000000000', {
    type: 'WRITE_ACTIONS', actions: [{ type: 'OUTPUT', port: 1, max_len: 0xffff }],
  }],
  ['0004 0020 00000000 0012 0008 00000000 0016 0008 00000001 0018 0008 00000000', {
    type: 'APPLY_ACTIONS', actions: [{ type: 'POP_VLAN' }, { type: 'GROUP', group_id: 1 }, { type: 'DEC_NW_TTL' }],
  }],
  ['0004 0008 00000000', { type: 'APPLY_ACTIONS', actions: [] }],
  ['0005 0008 00000000', { type: 'CLEAR_ACTIONS' }],
  ['0006 0008 00000001', { type: 'METER', meter_id: 1 }],
  // Big Switch's disable-src-mac-check, opaque with its id
  ['ffff 0010 005c16c7 0000000000000000', { type: 'EXPERIMENTER', experimenter: 0x5c16c7, data: hex('0000000000000000') }],
  ['0007 0008 aabbccdd', { type: 7, data: hex('aabbccdd') }],
];

test('every instruction type decodes from its spec layout and re-encodes', () => {
  for (const [bytes, ins] of CASES) {
    assert.deepEqual(decodeInstructions(new Reader(hex(bytes))), [ins], bytes);
    const w = new Writer();
    encodeInstructions(w, [ins]);
    assert.equal(w.finish().toString('hex'), bytes.replace(/\s+/g, ''), bytes);
  }
  assert.deepEqual(decodeInstructions(new Reader(hex(CASES.map((c) => c[0]).join('')))), CASES.map((c) => c[1]));
});

test('malformed instructions give OfDecodeError', () => {
  for (const b of [
    '0001', // truncated
    '0001 0010 05000000', // runs past its parent
    '0002 0010 00000000 0000000000000001', // WRITE_METADATA too short
    '0004 0010 00000000 0000 0010 00000001', // action runs past the instruction
    '0005 0010 00000000 0012000800000000', // CLEAR_ACTIONS carrying actions
    '0001 0000', // zero length
    '0063 0006 0000', // not a multiple of 8
  ]) {
    assert.throws(() => decodeInstructions(new Reader(hex(b))), OfDecodeError, b);
  }
});
