import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeMessage, encodeMessage } from '../../../codec.js';
import { assertDecodeError, corpusSuite, multipartBytes, roundTrip } from '../corpus-support.js';
import type { MultipartRequest } from '../index.js';
import type { FlowStats } from './reply.js';

const OFPMP_FLOW = 1;

// The Ericsson FLOW reply has non-zero match padding: the match keeps it, so it round-trips too.
corpusSuite('FLOW');

// ofp_flow_stats laid out by hand from §7.3.5.2: 48 fixed bytes, an empty OXM match (4 bytes +
// 4 padding), no instructions.
const ENTRY =
  '0038 01 00 00000002 00000003 8000 000a 0014 0001 00000000' +
  'fedcba9876543210 0020000000000001 ffffffffffffffff' +
  '0001 0004 00000000';

test('FLOW reply: fields at their spec offsets, counters as bigint', () => {
  const bytes = multipartBytes(19, OFPMP_FLOW, ENTRY + ENTRY, 1);
  const msg = roundTrip(bytes);
  assert.equal(msg.type, 'MULTIPART_REPLY');
  assert.equal(msg.flags, 1);
  if (msg.multipart_type !== 'FLOW' || msg.type !== 'MULTIPART_REPLY') return assert.fail('not a FLOW reply');
  // Compile-time: narrowing on multipart_type gives FlowStats entries.
  const e: FlowStats = msg.body[1]!;
  assert.deepEqual(e, {
    table_id: 1,
    duration_sec: 2,
    duration_nsec: 3,
    priority: 0x8000,
    idle_timeout: 10,
    hard_timeout: 20,
    flags: 1,
    cookie: 0xfedcba9876543210n,
    packet_count: 2n ** 53n + 1n,
    byte_count: 2n ** 64n - 1n,
    match: { type: 1, oxm_fields: [] },
    instructions: [],
  });
  assert.equal(msg.body.length, 2);
});

test('FLOW request: ofp_flow_stats_request fields', () => {
  const bytes = multipartBytes(
    18,
    OFPMP_FLOW,
    '07 000000 fffffffd fffffffc 00000000 0000000000000abc ffffffffffffffff 0001 0004 00000000',
  );
  const msg = roundTrip(bytes);
  assert.deepEqual(msg.body, [
    {
      table_id: 7,
      out_port: 0xfffffffd,
      out_group: 0xfffffffc,
      cookie: 0xabcn,
      cookie_mask: 2n ** 64n - 1n,
      match: { type: 1, oxm_fields: [] },
    },
  ]);
});

test('FLOW reply: an empty reply is an empty list', () => {
  const msg = roundTrip(multipartBytes(19, OFPMP_FLOW, ''));
  assert.deepEqual(msg.body, []);
});

test('FLOW reply: bad entry lengths give the typed error', () => {
  // Length below the fixed part: would otherwise read the next entry's bytes as this one's.
  assertDecodeError(multipartBytes(19, OFPMP_FLOW, '0028' + ENTRY.slice(4)), /below its 48-byte minimum/);
  // Length past the end of the message.
  assertDecodeError(multipartBytes(19, OFPMP_FLOW, '0100' + ENTRY.slice(4)), /runs past its parent/);
  // Length zero must not loop.
  assertDecodeError(multipartBytes(19, OFPMP_FLOW, '0000' + ENTRY.slice(4)), /below/);
  // A single trailing byte cannot even hold a length.
  assertDecodeError(multipartBytes(19, OFPMP_FLOW, ENTRY + '00'));
  // Entry longer than its match leaves bytes that are not a whole instruction.
  assertDecodeError(multipartBytes(19, OFPMP_FLOW, '003a' + ENTRY.slice(4) + '0000'));
  // Truncated request.
  assertDecodeError(multipartBytes(18, OFPMP_FLOW, '07 000000 fffffffd'));
});

test('FLOW request: encoding a request a poller builds from scratch', () => {
  const req: MultipartRequest = {
    version: 4,
    type: 'MULTIPART_REQUEST',
    xid: 9,
    multipart_type: 'FLOW',
    flags: 0,
    body: [{ table_id: 0xff, out_port: 0xffffffff, out_group: 0xffffffff, cookie: 0n, cookie_mask: 0n, match: { type: 1, oxm_fields: [] } }],
  };
  // `as never`: codec.ts's EncodableMessage currently resolves to never (reported).
  const bytes = encodeMessage(req as never);
  // 16-byte multipart header + 40-byte request + 8-byte empty match (§7.3.5.2).
  assert.equal(
    bytes.toString('hex'),
    '0412003800000009' + '000100000000' + '0000' + 'ff000000ffffffffffffffff00000000' + '0'.repeat(32) + '0001000400000000',
  );
  assert.equal(decodeMessage(bytes).type, 'MULTIPART_REQUEST');
});
