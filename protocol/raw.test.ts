import { test } from 'node:test';
import assert from 'node:assert/strict';
import { manifest } from '../test/conformance/corpus.js';
import { OfDecodeError } from './errors.js';
import { corpusTest, ofpPrint, readCorpus, readCorpusJson } from './messages/corpus-support.js';
import {
  bodyOf, datapathIdOf, errorTypeCodeOf, hasMoreParts, headerWithXid, isMultipart, messageTypeOf, multipartBodyOf, multipartFlagsOf,
  multipartTypeOf, partialHeader, peekHeader, quotedRequestOf, setXid, withDatapathId, withoutReplyMore, withXid,
} from './raw.js';

const hex = (s: string) => Buffer.from(s.replace(/\s+/g, ''), 'hex');

// Spec layouts (OpenFlow 1.3.5): ofp_header (§7.1) version u8, type u8, length u16, xid u32;
// ofp_multipart_reply (§7.3.5) type u16, flags u16, pad[4], body; ofp_switch_features
// (§7.3.1) datapath_id u64 ...; ofp_error_msg (§7.4.4) type u16, code u16, data.
const FEATURES = hex('04 06 0020 00000002  fedcba9876543210 00000100 fe 01 0000 0000004f 00000000');
// PORT_STATS reply (type 4) with REPLY_MORE, one empty-ish body of 4 bytes, xid 0x1234.
const MP_MORE = hex('04 13 0014 00001234  0004 0001 00000000  aabbccdd');
// BAD_REQUEST/BAD_TYPE quoting a whole 16-byte MULTIPART_REQUEST (DESC).
const ERROR_QUOTING = hex('04 01 001c 00000007  0001 0001  04 12 0010 00000007 0000 0000 00000000');

test('peekHeader reads the four header fields of the spec layout and nothing else', () => {
  assert.deepEqual(peekHeader(MP_MORE), { version: 4, type: 19, length: 20, xid: 0x1234 });
  assert.deepEqual(peekHeader(hex('01 00 0008 ffffffff')), { version: 1, type: 0, length: 8, xid: 0xffffffff });
  assert.equal(messageTypeOf(MP_MORE), 19);
  assert.equal(messageTypeOf(FEATURES), 6);
});

test('setXid / withXid / headerWithXid: the xid field only; withXid and headerWithXid leave the original alone', () => {
  const copy = withXid(FEATURES, 0xdeadbeef);
  assert.deepEqual(copy, hex('04 06 0020 deadbeef  fedcba9876543210 00000100 fe 01 0000 0000004f 00000000'));
  assert.equal(FEATURES.readUInt32BE(4), 2);
  const owned = Buffer.from(FEATURES);
  setXid(owned, 0xdeadbeef);
  assert.deepEqual(owned, copy);
  const head = headerWithXid(FEATURES, 0xdeadbeef);
  assert.deepEqual(Buffer.concat([head, bodyOf(FEATURES)]), copy);
  assert.equal(FEATURES.readUInt32BE(4), 2);
  // xids are u32: negative or larger numbers wrap like the codec's encoder does.
  assert.equal(peekHeader(withXid(FEATURES, -1)).xid, 0xffffffff);
});

test('bodyOf and multipartBodyOf are views of the same memory, not copies', () => {
  const body = bodyOf(MP_MORE);
  assert.equal(body.buffer, MP_MORE.buffer);
  assert.equal(body.byteOffset, MP_MORE.byteOffset + 8);
  assert.deepEqual(multipartBodyOf(MP_MORE), hex('aabbccdd'));
  assert.equal(multipartBodyOf(MP_MORE).buffer, MP_MORE.buffer);
});

test('multipart type and flags; withoutReplyMore clears only the MORE bit, on a copy', () => {
  assert.equal(isMultipart(MP_MORE), true);
  assert.equal(multipartTypeOf(MP_MORE), 4);
  assert.equal(multipartFlagsOf(MP_MORE), 1);
  assert.equal(hasMoreParts(MP_MORE), true);
  const last = withoutReplyMore(MP_MORE);
  assert.deepEqual(last, hex('04 13 0014 00001234  0004 0000 00000000  aabbccdd'));
  assert.equal(hasMoreParts(last), false);
  assert.equal(hasMoreParts(MP_MORE), true);
  // Other flag bits (none defined yet) survive.
  assert.equal(multipartFlagsOf(withoutReplyMore(hex('04 13 0010 00000001 0004 8001 00000000'))), 0x8000);
});

test('datapathIdOf / withDatapathId: a bigint over all 64 bits', () => {
  assert.equal(datapathIdOf(FEATURES), 0xfedcba9876543210n);
  const other = withDatapathId(FEATURES, 0xffffffffffffffffn);
  assert.deepEqual(other, hex('04 06 0020 00000002  ffffffffffffffff 00000100 fe 01 0000 0000004f 00000000'));
  assert.equal(datapathIdOf(FEATURES), 0xfedcba9876543210n);
});

test('errorTypeCodeOf and the request an ERROR quotes', () => {
  assert.deepEqual(errorTypeCodeOf(ERROR_QUOTING), { error_type: 1, code: 1 });
  assert.deepEqual(quotedRequestOf(ERROR_QUOTING), hex('04 12 0010 00000007 0000 0000 00000000'));
  // Cut short (the request was longer than what the switch quoted): no request.
  assert.equal(quotedRequestOf(hex('04 01 0018 00000007  0001 0001  04 12 0040 00000007 0000 0000')), undefined);
  // HELLO_FAILED carries text; an experimenter error (type 0xffff, exp_type, experimenter) its own data.
  assert.equal(quotedRequestOf(hex('04 01 0014 00000000  0000 0000  04 12 0008 00000007')), undefined);
  const exp = hex('04 01 0018 00000000  ffff 0002 00002320  04 12 0008 00000007');
  assert.deepEqual(errorTypeCodeOf(exp), { error_type: 0xffff, code: 2 });
  assert.equal(quotedRequestOf(exp), undefined);
});

test('partialHeader gives what a cut-off message holds of its header', () => {
  const h = hex('04 13 0014 00001234');
  assert.deepEqual(partialHeader(h.subarray(0, 0)), {});
  assert.deepEqual(partialHeader(h.subarray(0, 1)), { version: 4 });
  assert.deepEqual(partialHeader(h.subarray(0, 3)), { version: 4, type: 19 });
  assert.deepEqual(partialHeader(h.subarray(0, 7)), { version: 4, type: 19, length: 20 });
  assert.deepEqual(partialHeader(h), { version: 4, type: 19, length: 20, xid: 0x1234 });
});

test('wrong type, wrong version or too few bytes: OfDecodeError naming the message, never RangeError', () => {
  const cases: [string, () => unknown, RegExp][] = [
    ['short header', () => peekHeader(hex('04 13 0014')), /truncated header/],
    ['type of a short header', () => messageTypeOf(hex('04 13 0014 000000')), /truncated header/],
    ['setXid short', () => setXid(hex('04 13'), 1), /truncated header/],
    ['withXid short', () => withXid(Buffer.alloc(0), 1), /truncated header/],
    ['headerWithXid short', () => headerWithXid(hex('04'), 1), /truncated header/],
    ['bodyOf short', () => bodyOf(hex('04 13 00')), /truncated header/],
    ['multipart of a FEATURES_REPLY', () => multipartTypeOf(FEATURES), /multipart message expected .*FEATURES_REPLY xid=2/],
    ['multipart header cut', () => multipartFlagsOf(hex('04 13 000c 00000005 0004 0001')), /truncated multipart message: need 16 bytes, 12 present/],
    ['OpenFlow 1.0 type 18 is BARRIER_REQUEST', () => multipartTypeOf(hex('01 12 0010 00000001 0004 0000 00000000')), /unsupported OpenFlow version 0x01/],
    ['REPLY_MORE on a request', () => withoutReplyMore(hex('04 12 0010 00000001 0004 0001 00000000')), /MULTIPART_REPLY expected/],
    ['dpid of a short FEATURES_REPLY', () => datapathIdOf(FEATURES.subarray(0, 28)), /truncated FEATURES_REPLY: need 32 bytes/],
    ['dpid of an ERROR', () => withDatapathId(ERROR_QUOTING, 1n), /FEATURES_REPLY expected/],
    ['ERROR without a code', () => errorTypeCodeOf(hex('04 01 000a 00000001 0001')), /truncated ERROR/],
    ['quote of a non-ERROR', () => quotedRequestOf(MP_MORE), /ERROR expected/],
  ];
  for (const [name, fn, re] of cases) {
    assert.throws(fn, (e: unknown) => e instanceof OfDecodeError && re.test(e.message), name);
  }
  assert.equal(isMultipart(hex('04 13 000c 00000005 0004 0001')), false);
  assert.equal(isMultipart(FEATURES), false);
});

test('any bytes: every helper returns or throws OfDecodeError', () => {
  let seed = 7;
  const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) % n);
  const helpers: ((b: Buffer) => unknown)[] = [
    peekHeader, messageTypeOf, partialHeader, bodyOf, isMultipart, multipartTypeOf, multipartFlagsOf, hasMoreParts, multipartBodyOf,
    withoutReplyMore, datapathIdOf, errorTypeCodeOf, quotedRequestOf, (b) => withXid(b, 9), (b) => headerWithXid(b, 9),
    (b) => withDatapathId(b, 9n), (b) => setXid(Buffer.from(b), 9),
  ];
  for (let i = 0; i < 3000; i++) {
    const b = Buffer.alloc(rnd(48));
    for (let j = 0; j < b.length; j++) b[j] = rnd(256);
    // Plausible headers more often than chance would give.
    if (b.length > 1 && rnd(2) === 0) b[0] = 4;
    if (b.length > 2 && rnd(2) === 0) b[1] = [1, 6, 18, 19][rnd(4)]!;
    for (const h of helpers) {
      try {
        h(b);
      } catch (e) {
        assert.ok(e instanceof OfDecodeError, `${(e as Error).name}: ${(e as Error).message} on ${b.toString('hex')}`);
      }
    }
  }
});

corpusTest('peekHeader and the multipart helpers agree with the corpus manifest on every whole message', () => {
  let n = 0;
  for (const e of manifest()) {
    if (e.whole_message !== true || e.truncate_to !== undefined) continue;
    const b = readCorpus(e.file);
    assert.deepEqual(peekHeader(b), { version: e.version, type: e.type, length: e.length_field, xid: e.xid }, e.file);
    assert.equal(messageTypeOf(b), e.type, e.file);
    if (e.multipart_type !== undefined) {
      assert.equal(multipartTypeOf(b), e.multipart_type, e.file);
      assert.equal(multipartFlagsOf(b), e.multipart_flags, e.file);
      assert.equal(hasMoreParts(b), (e.multipart_flags! & 1) === 1, e.file);
    }
    n++;
  }
  assert.ok(n > 250, `${n} samples`);
});

corpusTest('datapathIdOf and errorTypeCodeOf agree with Ryu and loxigen; the quoted request with Ryu', () => {
  type Ryu<K extends string, V> = Record<K, V>;
  const ryuFeatures = (f: string) => (readCorpusJson(`ryu/json/of13/${f}.json`) as Ryu<'OFPSwitchFeatures', { datapath_id: number | bigint }>).OFPSwitchFeatures;
  for (const f of ['4-6-ofp_features_reply.packet', 'libofproto-OFP13-features_reply.packet']) {
    assert.equal(datapathIdOf(readCorpus(`ryu/packet_data/of13/${f}`)), BigInt(ryuFeatures(f).datapath_id), f);
  }
  const loxi = (readCorpusJson('loxigen/of13-expected/features_reply.expected.json') as { expected: { datapath_id: bigint } }).expected;
  assert.equal(datapathIdOf(readCorpus('loxigen/of13-bin/features_reply.bin')), BigInt(loxi.datapath_id));

  type RyuError = { type: number; code: number | null; exp_type?: number; data: string };
  for (const f of ['4-15-ofp_error_msg.packet', 'libofproto-OFP13-error_msg.packet', '4-41-ofp_error_msg_experimenter.packet']) {
    const want = (readCorpusJson(`ryu/json/of13/${f}.json`) as Ryu<'OFPErrorMsg', RyuError>).OFPErrorMsg;
    const err = readCorpus(`ryu/packet_data/of13/${f}`);
    assert.deepEqual(errorTypeCodeOf(err), { error_type: want.type, code: want.code ?? want.exp_type }, f);
  }
  // Open vSwitch's library quoted an 8-byte FLOW_MOD header: all of that request.
  const ovsErr = (readCorpusJson('ryu/json/of13/libofproto-OFP13-error_msg.packet.json') as Ryu<'OFPErrorMsg', RyuError>).OFPErrorMsg;
  assert.deepEqual(quotedRequestOf(readCorpus('ryu/packet_data/of13/libofproto-OFP13-error_msg.packet')), Buffer.from(ovsErr.data, 'base64'));
  // Erlang's error carries text ("fugafuga"), not a request.
  assert.equal(quotedRequestOf(readCorpus('ryu/packet_data/of13/4-15-ofp_error_msg.packet')), undefined);
});

corpusTest('patched copies as ovs-ofctl reads them: new xid, new dpid, no more flag; the rest unchanged', () => {
  const features = readCorpus('ovs/ofp-print-of13/001-OFPT_FEATURES_REPLY_OF1_3.bin');
  const before = ofpPrint(features);
  assert.match(before, /\(xid=0x1\): dpid:0000505400000001\n/);
  const patched = withDatapathId(withXid(features, 0xabcdef), 0x00000000cafe0042n);
  assert.equal(ofpPrint(patched), before.replace('(xid=0x1): dpid:0000505400000001', '(xid=0xabcdef): dpid:00000000cafe0042'));

  const more = readCorpus('ovs/ofp-print-of13/030-OFPST_TABLE_FEATURES_request_OF1_3.bin');
  const text = ofpPrint(more);
  assert.match(text, /^OFPST_TABLE_FEATURES reply \(OF1\.3\) \(xid=0xd5\): flags=\[more\]\n/);
  assert.equal(ofpPrint(withoutReplyMore(more)), text.replace(' flags=[more]', ''));
  assert.equal(ofpPrint(more), text);
});
