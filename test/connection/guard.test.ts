import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { OFPT, STATE_CHANGING_TYPES } from '../../protocol/constants.js';
import { checkOutbound, ReadOnlyViolation } from '../../src/connection/guard.js';
import { Outbound } from '../../src/connection/outbound.js';
import { build } from '../../src/connection/messages.js';
import { captureLog } from './helpers.js';

/** A message as raw bytes: ofp_header (§7.1) + body, length patched. */
function raw(type: number, bodyHex = '', version = 4): Buffer {
  const body = Buffer.from(bodyHex.replace(/\s/g, ''), 'hex');
  const h = Buffer.alloc(8);
  h.writeUInt8(version, 0);
  h.writeUInt8(type, 1);
  h.writeUInt16BE(8 + body.length, 2);
  h.writeUInt32BE(0x1234, 4);
  return Buffer.concat([h, body]);
}

const refused = (b: Buffer, re?: RegExp) =>
  assert.throws(() => checkOutbound(b), (e: unknown) => e instanceof ReadOnlyViolation && e.kind === 'refused' && (!re || re.test(e.reason)));

// Hand-built, spec-sized bodies (zeros are enough: the guard must refuse by type, before any decode).
const BODY_LEN: Record<string, number> = {
  FLOW_MOD: 48, GROUP_MOD: 8, PORT_MOD: 32, TABLE_MOD: 8, METER_MOD: 8, PACKET_OUT: 16, SET_CONFIG: 4, SET_ASYNC: 24,
};

test('every state-changing type is refused, built by hand as raw bytes', () => {
  assert.equal(STATE_CHANGING_TYPES.length, 8);
  for (const t of STATE_CHANGING_TYPES) {
    refused(raw(OFPT[t], '00'.repeat(BODY_LEN[t]!)), /changes switch state/);
  }
});

test('every type not on the allow-list is refused, even with a valid-looking body', () => {
  const allowed = new Set(['HELLO', 'ERROR', 'ECHO_REQUEST', 'ECHO_REPLY', 'FEATURES_REQUEST', 'GET_CONFIG_REQUEST',
    'BARRIER_REQUEST', 'ROLE_REQUEST', 'GET_ASYNC_REQUEST', 'MULTIPART_REQUEST']);
  for (const [name, code] of Object.entries(OFPT)) {
    if (allowed.has(name)) continue;
    refused(raw(code, '00'.repeat(64)));
  }
  refused(raw(30), /unknown message type/);
  refused(raw(0xff), /unknown message type/);
});

test('allowed requests pass (spec byte layouts)', () => {
  checkOutbound(raw(OFPT.HELLO, '0001 0008 00000010'));
  checkOutbound(raw(OFPT.ECHO_REQUEST, 'cafe'));
  checkOutbound(raw(OFPT.ECHO_REPLY));
  checkOutbound(raw(OFPT.FEATURES_REQUEST));
  checkOutbound(raw(OFPT.GET_CONFIG_REQUEST));
  checkOutbound(raw(OFPT.BARRIER_REQUEST));
  checkOutbound(raw(OFPT.GET_ASYNC_REQUEST));
  checkOutbound(raw(OFPT.ERROR, '0000 0000 6e6f'));                            // HELLO_FAILED/INCOMPATIBLE
  checkOutbound(raw(OFPT.ROLE_REQUEST, '00000003 00000000 0000000000000005'));   // SLAVE
  checkOutbound(raw(OFPT.ROLE_REQUEST, '00000001 00000000 0000000000000000'));   // EQUAL
  checkOutbound(raw(OFPT.ROLE_REQUEST, '00000000 00000000 0000000000000000'));   // NOCHANGE
  checkOutbound(raw(OFPT.MULTIPART_REQUEST, '000d 0000 00000000'));              // PORT_DESC
  checkOutbound(raw(OFPT.MULTIPART_REQUEST, '000c 0000 00000000'));              // TABLE_FEATURES, empty: a read
});

test('field-level refusals: MASTER role, non-HELLO_FAILED errors, experimenter or table-setting multipart', () => {
  refused(raw(OFPT.ROLE_REQUEST, '00000002 00000000 0000000000000005'), /MASTER/);
  refused(raw(OFPT.ROLE_REQUEST, '00000007 00000000 0000000000000005'));
  refused(raw(OFPT.ERROR, '0001 0001'), /only HELLO_FAILED/);
  refused(raw(OFPT.MULTIPART_REQUEST, 'ffff 0000 00000000 00002320 00000000'), /not a statistics read/);
  refused(raw(OFPT.MULTIPART_REQUEST, '0063 0000 00000000'));
  refused(raw(OFPT.MULTIPART_REQUEST, '000d 0001 00000000'), /flags/);
  // TABLE_FEATURES request with one ofp_table_features (§7.3.5.18: length, table_id, pad[5],
  // name[32], metadata_match, metadata_write, config, max_entries; 64 bytes, no properties).
  const tf = '0040 00 0000000000' + '00'.repeat(32) + '0000000000000000 0000000000000000 00000000 000000ff';
  refused(raw(OFPT.MULTIPART_REQUEST, '000c 0000 00000000' + tf), /would set table features/);
});

test('smuggling: a second message after an allowed one, or a lying length, is refused', () => {
  refused(Buffer.concat([raw(OFPT.ECHO_REQUEST), raw(OFPT.FLOW_MOD, '00'.repeat(48))]), /one message per send/);
  const short = raw(OFPT.ECHO_REQUEST, '00'.repeat(8));
  short.writeUInt16BE(8, 2);
  refused(short, /one message per send/);
  refused(Buffer.from('0402', 'hex'));
});

test('the messages the connection builds all pass the guard', () => {
  checkOutbound(build.hello(1));
  checkOutbound(build.helloFailed(1, 'no 1.3'));
  checkOutbound(build.echoRequest(2, Buffer.from('x')));
  checkOutbound(build.echoReply(3, Buffer.alloc(0)));
  checkOutbound(build.featuresRequest(4));
  checkOutbound(build.roleRequest(5, 3, 0xffffffffffffffffn));
  for (const t of ['DESC', 'TABLE', 'PORT_DESC', 'GROUP_DESC', 'METER_FEATURES'] as const) checkOutbound(build.multipartRequest(6, t, []));
});

test('Outbound.send refuses, logs and counts, and writes nothing', () => {
  const writes: Buffer[] = [];
  const sock = { destroyed: false, writable: true, write: (b: Buffer) => void writes.push(b) };
  const cap = captureLog();
  let count = 0;
  const out = new Outbound(sock as never, cap.log, () => count++);
  for (const t of STATE_CHANGING_TYPES) assert.throws(() => out.send(raw(OFPT[t], '00'.repeat(BODY_LEN[t]!))), ReadOnlyViolation);
  assert.throws(() => out.send(raw(OFPT.ROLE_REQUEST, '00000002 00000000 0000000000000005')), ReadOnlyViolation);
  assert.equal(count, 9);
  assert.equal(writes.length, 0);
  assert.equal(cap.lines.filter((l) => /read-only guard refused/.test(String(l.msg))).length, 9);
  out.send(raw(OFPT.BARRIER_REQUEST));
  assert.equal(writes.length, 1);
});

test('the guard is the one send path: only outbound.ts writes to a socket in src/connection', () => {
  const here = dirname(fileURLToPath(import.meta.url));
  // dist-X/test/connection → repo/src/connection
  const src = join(here, '..', '..', '..', 'src', 'connection');
  const writers = readdirSync(src)
    .filter((f) => f.endsWith('.ts'))
    .filter((f) => /\.(write|end)\s*\(\s*[a-zA-Z]/.test(readFileSync(join(src, f), 'utf8')) || /\.cork\(|\.writev?\(/.test(readFileSync(join(src, f), 'utf8')));
  assert.deepEqual(writers, ['outbound.ts']);
});
