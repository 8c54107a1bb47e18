import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeMessage, encodeMessage } from '../../codec.js';
import { OFPMP } from '../../constants.js';
import { assertDecodeError, multipartBytes, roundTrip } from './corpus-support.js';
import { isMore, MULTIPART, type MultipartReply } from './index.js';

test('every ofp_multipart_type has a request and a reply codec', () => {
  assert.deepEqual(Object.keys(MULTIPART).sort(), Object.keys(OFPMP).sort());
});

test('envelope: version, type, xid, multipart_type, flags, body in that order', () => {
  const msg = decodeMessage(multipartBytes(18, 0, '', 0, 42));
  assert.deepEqual(Object.keys(msg), ['version', 'type', 'xid', 'multipart_type', 'flags', 'body']);
  assert.deepEqual(msg, { version: 4, type: 'MULTIPART_REQUEST', xid: 42, multipart_type: 'DESC', flags: 0, body: [] });
});

test('isMore reads REQ_MORE / REPLY_MORE (bit 0) and nothing else', () => {
  const more = decodeMessage(multipartBytes(19, 3, '', 1)) as MultipartReply;
  const last = decodeMessage(multipartBytes(19, 3, '', 0xfffe)) as MultipartReply;
  assert.equal(isMore(more), true);
  assert.equal(isMore(last), false);
  assert.equal(last.flags, 0xfffe);
  roundTrip(multipartBytes(19, 3, '', 0xfffe));
});

test('an unknown multipart type keeps its number and its body as bytes', () => {
  const msg = roundTrip(multipartBytes(19, 0x4242, 'deadbeef', 1));
  assert.equal(msg.multipart_type, 0x4242);
  assert.deepEqual(msg.body, [{ data: Buffer.from('deadbeef', 'hex') }]);
});

test('a multipart header cut short gives the typed error', () => {
  const full = multipartBytes(18, 0, '');
  const cut = Buffer.from(full.subarray(0, 12));
  cut.writeUInt16BE(12, 2);
  assertDecodeError(cut, /truncated/);
});

test('encoding an unknown multipart name is refused', () => {
  assert.throws(
    () => encodeMessage({ version: 4, type: 'MULTIPART_REQUEST', xid: 1, multipart_type: 'NOPE', flags: 0, body: [] } as never),
    { name: 'OfEncodeError' },
  );
});
