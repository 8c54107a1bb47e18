import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertDecodeError, corpusSuite, multipartBytes, roundTrip } from '../corpus-support.js';
import { OFPTFPT } from '../../../structs/table-feature-props.js';

const PROP_NAME = new Map(Object.entries(OFPTFPT).map(([k, v]) => [Number(v), k]));

/** Ryu's property classes in our shape (its names: `table_ids`, `data` as u32 words, OXM `type`). */
function ryuProp(p: Record<string, unknown>): unknown {
  const { type, table_ids, oxm_ids, data, ...rest } = p;
  const out: Record<string, unknown> = { ...rest, type: PROP_NAME.get(Number(type)) ?? type };
  if (table_ids) out.next_table_ids = table_ids;
  if (oxm_ids) {
    out.oxm_ids = (oxm_ids as Record<string, unknown>[]).map((o) => ({
      class: 'OPENFLOW_BASIC',
      field: o.type,
      hasmask: Number(o.hasmask) === 1,
    }));
  }
  if (data) {
    const words = data as (number | bigint)[];
    const b = Buffer.alloc(words.length * 4);
    words.forEach((w, k) => b.writeUInt32BE(Number(w), k * 4));
    out.experimenter_data = b;
  }
  return out;
}

corpusSuite('TABLE_FEATURES', {
  ryuEntry: (e) => ({ ...e, properties: (e.properties as Record<string, unknown>[]).map(ryuProp) }),
});

function tableFeatures(props: string, name = 'tbl'): string {
  const fixed =
    '0000 05 0000000000' + Buffer.from(name.padEnd(32, '\0')).toString('hex') +
    'ffffffffffffffff 00000000000000ff 00000003 00010000';
  const len = (fixed + props).replace(/\s+/g, '').length / 2;
  return len.toString(16).padStart(4, '0') + fixed.replace(/\s+/g, '').slice(4) + props.replace(/\s+/g, '');
}

test('TABLE_FEATURES: every property type, padded to 8 (§7.3.5.5)', () => {
  const props =
    '0000 0010 0004 0004 ffff 0008 00002320' + // INSTRUCTIONS: APPLY_ACTIONS, an experimenter id
    '0003 0007 01 02 03 00' + // NEXT_TABLES_MISS 1,2,3; 1 pad
    '0006 0008 0000 0004' + // APPLY_ACTIONS: OUTPUT
    '0008 000c 80000004 8000070c 00000000' + // MATCH: in_port, eth_dst/mask; 4 pad
    '000e 000c ffff0108 00002320 00000000' + // APPLY_SETFIELD: an experimenter OXM id (64 bits); 4 pad
    'fffe 0010 00002320 00000001 0a0b0c0d' + // EXPERIMENTER with one data word
    '0042 0005 aa 000000'; // an unknown property type, kept
  const msg = roundTrip(multipartBytes(19, 12, tableFeatures(props), 1));
  assert.equal(msg.flags, 1);
  assert.deepEqual(msg.body, [
    {
      table_id: 5,
      name: 'tbl',
      metadata_match: 2n ** 64n - 1n,
      metadata_write: 0xffn,
      config: 3,
      max_entries: 65536,
      properties: [
        { type: 'INSTRUCTIONS', instruction_ids: [{ type: 4 }, { type: 0xffff, experimenter: 0x2320 }] },
        { type: 'NEXT_TABLES_MISS', next_table_ids: [1, 2, 3] },
        { type: 'APPLY_ACTIONS', action_ids: [{ type: 0 }] },
        {
          type: 'MATCH',
          oxm_ids: [
            { class: 'OPENFLOW_BASIC', field: 'in_port', hasmask: false, length: 4 },
            { class: 'OPENFLOW_BASIC', field: 'eth_dst', hasmask: true, length: 12 },
          ],
        },
        { type: 'APPLY_SETFIELD', oxm_ids: [{ class: 'EXPERIMENTER', field: 0, hasmask: true, length: 8, experimenter: 0x2320 }] },
        { type: 'EXPERIMENTER', experimenter: 0x2320, exp_type: 1, experimenter_data: Buffer.from('0a0b0c0d', 'hex') },
        { type: 0x42, data: Buffer.from('aa', 'hex') },
      ],
    },
  ]);
});

test('TABLE_FEATURES: an empty request lists the tables; an id padded to 8 bytes (as OVS sends) survives', () => {
  assert.deepEqual(roundTrip(multipartBytes(18, 12, '')).body, []);
  const msg = roundTrip(multipartBytes(18, 12, tableFeatures('0001 000c 0001 0008 00000000 00000000')));
  const [tf] = msg.body as unknown as [{ properties: unknown[] }];
  assert.deepEqual(tf.properties, [{ type: 'INSTRUCTIONS_MISS', instruction_ids: [{ type: 1, data: Buffer.alloc(4) }] }]);
});

test('TABLE_FEATURES: malformed properties give the typed error', () => {
  // Property length below its header.
  assertDecodeError(multipartBytes(19, 12, tableFeatures('0000 0002 00000000')), /below 4/);
  // Property running past the table features entry.
  assertDecodeError(multipartBytes(19, 12, tableFeatures('0000 0020 00000000')), /runs past its parent/);
  // Padding missing after the last property.
  assertDecodeError(multipartBytes(19, 12, tableFeatures('0002 0005 01')), /padding/);
  // An instruction id whose len is below 4.
  assertDecodeError(multipartBytes(19, 12, tableFeatures('0000 0008 0001 0002')), /below 4/);
  // An experimenter property too short for its ids.
  assertDecodeError(multipartBytes(19, 12, tableFeatures('fffe 0008 00002320')), /truncated exp_type/);
  // Entry length below the 64-byte fixed part.
  assertDecodeError(multipartBytes(19, 12, '0020' + '00'.repeat(62)), /below its 64-byte minimum/);
});
