import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { canEncode, decodeMessage } from '../../codec.js';
import { OfDecodeError } from '../../errors.js';
import { families, type MeterModMessage } from './index.js';
import { corpusPath } from '../../../test/conformance/corpus.js';

const hex = (s: string) => Buffer.from(s.replace(/\s+/g, ''), 'hex');
const ovsDir = corpusPath('ovs/ofp-print-of13');

// ofp_meter_mod (§7.3.4.4): command, flags, meter_id, bands.
const BYTES = hex(
  '04 1d 0030 00000001' +
  '0001 0006 00000011' +
  '0001 0010 00000064 00000000 00000000' +
  '0002 0010 000003e8 00000010 02 000000',
);

test('METER_MOD decodes from the spec layout', () => {
  const expected: MeterModMessage = {
    version: 4, type: 'METER_MOD', xid: 1,
    command: 1, flags: 6, meter_id: 17,
    bands: [
      { type: 'DROP', rate: 100, burst_size: 0 },
      { type: 'DSCP_REMARK', rate: 1000, burst_size: 16, prec_level: 2 },
    ],
  };
  assert.deepEqual(decodeMessage(BYTES), expected);
});

test('METER_MOD is state-changing: decoded, never encoded', () => {
  for (const f of families) assert.equal('encode' in f, false);
  assert.equal(canEncode('METER_MOD'), false);
});

test('a METER_MOD no switch could carry out gives OfDecodeError', () => {
  const variant = (at: number, v: number) => {
    const b = Buffer.from(BYTES);
    b.writeUInt16BE(v, at);
    return b;
  };
  assert.throws(() => decodeMessage(variant(8, 3)), /BAD_COMMAND/);
  assert.throws(() => decodeMessage(variant(10, 3)), /BAD_FLAGS/); // KBPS and PKTPS
  assert.throws(() => decodeMessage(variant(10, 0x10)), /BAD_FLAGS/);
  assert.throws(() => decodeMessage(variant(16, 5)), /BAD_BAND/);
  for (const cut of [12, 20, 40]) {
    const b = Buffer.from(BYTES.subarray(0, cut));
    b.writeUInt16BE(cut, 2);
    assert.throws(() => decodeMessage(b), OfDecodeError, `cut at ${cut}`);
  }
});

const VALID = path.join(ovsDir, '020-OFPT_METER_MOD_request_OF1_3.bin');
if (existsSync(VALID)) {
  test('OVS ofp-print vectors: the valid METER_MOD as ovs-ofctl prints it, the three invalid ones refused', () => {
    // "ADD meter=5 kbps burst stats bands= type=drop rate=1024 burst_size=128"
    assert.deepEqual(decodeMessage(readFileSync(VALID)), {
      version: 4, type: 'METER_MOD', xid: 2, command: 0, flags: 0x1 | 0x4 | 0x8, meter_id: 5,
      bands: [{ type: 'DROP', rate: 1024, burst_size: 128 }],
    } satisfies MeterModMessage);
    for (const [file, reason] of [
      ['021-OFPT_METER_MOD_request_bad_band_OF1_3.bin', 'OFPMMFC_BAD_BAND'],
      ['022-OFPT_METER_MOD_request_bad_command_OF1_3.bin', 'OFPMMFC_BAD_COMMAND'],
      ['023-OFPT_METER_MOD_request_bad_flags_OF1_3.bin', 'OFPMMFC_BAD_FLAGS'],
    ]) {
      assert.throws(() => decodeMessage(readFileSync(path.join(ovsDir, file))), (e: unknown) =>
        e instanceof OfDecodeError && e.reason.startsWith(reason) && e.msgType === 'METER_MOD', file);
    }
  });
} else {
  console.log(`# OVS corpus not found at ${ovsDir}: its METER_MOD vectors are not run here`);
}
