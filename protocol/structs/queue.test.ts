import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OfDecodeError } from '../errors.js';
import { Reader } from '../wire/reader.js';
import { Writer } from '../wire/writer.js';
import { decodePacketQueues, encodePacketQueues, type PacketQueue } from './queue.js';

const hex = (s: string) => Buffer.from(s.replace(/\s+/g, ''), 'hex');
const decode = (s: string) => decodePacketQueues(new Reader(hex(s)));
const encode = (qs: PacketQueue[]) => {
  const w = new Writer();
  encodePacketQueues(w, qs);
  return w.finish();
};

// ofp_packet_queue (§7.3.6): queue_id u32, port u32, len u16, pad[6], properties.
// ofp_queue_prop_header: property u16, len u16, pad[4]. MIN/MAX_RATE: rate u16, pad[6].
// EXPERIMENTER: experimenter u32, pad[4], data.
const WIRE = `
  00000001 00000002 0040 000000000000
    0001 0010 00000000  01f4 000000000000
    0002 0010 00000000  03e8 000000000000
    ffff 0013 00000000  00002320 00000000 aabbcc
    0007 000d 00000000  0102030405
  00000009 00000002 0010 000000000000`;

test('queues and their properties from the spec layout; unknown properties kept opaque', () => {
  const bytes = hex(WIRE);
  // Lengths as declared, no padding: 16 + 16 + 16 + 19 + 13 = 80 (0x50).
  bytes.writeUInt16BE(80, 8);
  const qs = decodePacketQueues(new Reader(bytes));
  assert.deepEqual(qs, [
    {
      queue_id: 1,
      port: 2,
      properties: [
        { type: 'MIN_RATE', rate: 500 },
        { type: 'MAX_RATE', rate: 1000 },
        { type: 'EXPERIMENTER', experimenter: 0x2320, data: hex('aabbcc') },
        { type: 7, data: hex('0102030405') },
      ],
    },
    { queue_id: 9, port: 2, properties: [] },
  ]);
  assert.deepEqual(encode(qs), bytes);
});

test('an empty list is no bytes', () => {
  assert.deepEqual(decode(''), []);
});

test('bad queue and property lengths are typed decode errors, never a loop', () => {
  for (const s of [
    '00000001 00000002 000f 000000000000', // queue length below its 16-byte header
    '00000001 00000002 0020 000000000000', // queue runs past its parent
    '00000001 00000002', // queue header cut short
    '00000001 00000002 0018 000000000000  0001 0004 00000000', // property length below 8
    '00000001 00000002 0018 000000000000  0001 0008 00000000', // MIN_RATE without its rate
    '00000001 00000002 0018 000000000000  ffff 0008 00000000', // EXPERIMENTER without its id
    '00000001 00000002 0014 000000000000  0001', // property header cut short
  ]) {
    assert.throws(() => decode(s), OfDecodeError, s);
  }
});
