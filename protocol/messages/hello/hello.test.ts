import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeMessage } from '../../codec.js';
import { OfDecodeError } from '../../errors.js';
import { corpusSuite, encode, corpusTest, ofpPrint, readCorpus, readCorpusJson, type Expected } from '../corpus-support.js';
import { bitmapVersions, helloMessage, helloVersions, negotiateVersion, type HelloMessage } from './index.js';

const hex = (s: string) => Buffer.from(s.replace(/\s+/g, ''), 'hex');
const hello = (s: string) => decodeMessage(hex(s)) as HelloMessage;

// ofp_hello_elem_versionbitmap (§7.5.1): type=1, length, then 32-bit bitmap words.
test('a version bitmap element: bit n of word i is version 32*i+n', () => {
  const m = hello('04 00 0010 00000001  0001 0008 00000012');
  assert.deepEqual(m.elements, [{ type: 'VERSIONBITMAP', bitmaps: [0x12] }]);
  assert.deepEqual(helloVersions(m), [1, 4]);
  assert.deepEqual(bitmapVersions([0, 1]), [32]);
});

test('without a bitmap the offered version is the header version', () => {
  const m = hello('05 00 0008 00000001');
  assert.deepEqual(m.elements, []);
  assert.deepEqual(helloVersions(m), [5]);
});

test('a HELLO of any version decodes (version negotiation), with or without elements', () => {
  assert.equal(hello('01 00 0008 00000009').version, 1);
  const m = hello('06 00 0010 00000009  0001 0008 00000052');
  assert.equal(m.version, 6);
  assert.deepEqual(helloVersions(m), [1, 4, 6]);
});

test('unknown elements are kept opaque, skipped for negotiation, and re-encoded as they were', () => {
  const bytes = hex('04 00 0020 00000002  0007 000c 0a0b0c0d 0e0f1011 00000000  0001 0008 00000010');
  const m = hello(bytes.toString('hex'));
  assert.equal(m.elements.length, 2);
  const [u] = m.elements;
  assert.equal(u!.type, 7);
  assert.equal((u as { data: Buffer }).data.toString('hex'), '0a0b0c0d0e0f1011');
  assert.deepEqual(helloVersions(m), [4]);
  assert.deepEqual(encode(m), bytes);
});

test('elements padded to 8 bytes (as the spec says) and unpadded ones (as Ryu/loxigen write) both decode', () => {
  const padded = hex('04 00 0020 00000003  0001 000c 00000010 00000000 00000000  0001 0008 00000002');
  const p = hello(padded.toString('hex'));
  assert.deepEqual(p.elements.map((e) => e.type), ['VERSIONBITMAP', 'VERSIONBITMAP']);
  assert.deepEqual(encode(p), padded);
  const unpadded = hex('04 00 001c 00000003  0001 000c 00000010 00000000  0001 0008 00000002');
  const u = hello(unpadded.toString('hex'));
  assert.equal(u.elements.length, 2);
  assert.deepEqual(encode(u), unpadded);
});

test('bad element lengths are typed decode errors', () => {
  for (const s of [
    '04 00 000c 00000001  0001 0002', // length below the 4-byte header
    '04 00 0010 00000001  0001 0010 00000010', // runs past the message
    '04 00 000e 00000001  0001 0006 0000', // bitmap not whole 32-bit words
    '04 00 000a 00000001  0001', // header cut short
  ]) {
    assert.throws(() => hello(s), OfDecodeError, s);
  }
});

test('our HELLO: highest version in the header, a bitmap of all, as ovs-ofctl reads it', () => {
  const m = helloMessage(7);
  const bytes = encode(m);
  assert.deepEqual(bytes, hex('04 00 0010 00000007  0001 0008 00000010'));
  assert.match(ofpPrint(bytes), /^OFPT_HELLO \(OF1\.3\) \(xid=0x7\):\n version bitmap: 0x04\n$/);
  const multi = encode(helloMessage(8, [1, 4]));
  assert.match(ofpPrint(multi), /version bitmap: 0x01, 0x04/);
});

test('negotiation: highest common version with a bitmap, min of headers without', () => {
  assert.equal(negotiateVersion([4], hello('06 00 0010 00000001  0001 0008 00000052')), 4);
  assert.equal(negotiateVersion([4], hello('06 00 0010 00000001  0001 0008 00000042')), undefined);
  assert.equal(negotiateVersion([4], hello('05 00 0008 00000001')), 4);
  assert.equal(negotiateVersion([4], hello('01 00 0008 00000001')), undefined);
});

corpusSuite('HELLO', ['HELLO'], {
  // Ryu lists versions, not bitmap words.
  ryu: (j, m): Expected => {
    const els = j['elements'] as { versions: number[] }[];
    assert.equal(m.type === 'HELLO' && m.elements.length, els.length);
    assert.deepEqual(helloVersions(m as HelloMessage), els[0]!.versions);
    return { value: {}, ignore: () => true };
  },
  loxigen: (j): Expected => {
    const els = (j['elements'] as { bitmaps: { _args: number[] }[] }[]).map((e) => ({
      type: 'VERSIONBITMAP',
      bitmaps: e.bitmaps.map((b) => b._args[0]!),
    }));
    return { value: { elements: els }, ignore: (k) => k === 'unpadded' };
  },
});

corpusTest('loxigen hello_elem_versionbitmap fragment decodes as a hello element', () => {
  const frag = readCorpus('loxigen/of13-bin/hello_elem_versionbitmap.bin');
  const header = Buffer.from([4, 0, 0, 0, 0, 0, 0, 1]);
  header.writeUInt16BE(8 + frag.length, 2);
  const m = decodeMessage(Buffer.concat([header, frag])) as HelloMessage;
  const exp = (readCorpusJson('loxigen/of13-expected/hello_elem_versionbitmap.expected.json') as {
    expected: { bitmaps: { _args: number[] }[] };
  }).expected;
  assert.equal(m.elements.length, 1);
  const el = m.elements[0]!;
  assert.equal(el.type, 'VERSIONBITMAP');
  assert.deepEqual((el as { bitmaps: number[] }).bitmaps, exp.bitmaps.map((b) => b._args[0]));
});
