import assert from 'node:assert/strict';
import { decodeMessage } from '../../protocol/codec.js';
import { Reader } from '../../protocol/wire/reader.js';
import { decodeAction } from '../../protocol/structs/actions.js';
import { decodeInstruction } from '../../protocol/structs/instructions.js';
import { decodeMatch } from '../../protocol/structs/match.js';
import { decodeOxm } from '../../protocol/structs/oxm.js';
import { decodeTableFeatureProps } from '../../protocol/structs/table-feature-props.js';
import { manifest, readCorpus, readCorpusJson, reportTableAfter, sampleTest, withCorpus } from './corpus.js';
import { assertBytesEqual, assertMatches, ignoreNames } from './compare.js';
import { BSN_EXPERIMENTER, loxigenToExpected } from './loxigen-map.js';

const LOXIGEN_SAMPLES = 66;

/** Representation details our decoder keeps so the bytes round-trip; loxigen has no such field. */
const unprinted = (k: string): boolean => ignoreNames(k) || k === 'unpadded';

/** Wrap a fragment in the smallest container the codec reads it from (a header, a property). */
function withHeader(type: number, body: Buffer): Buffer {
  const h = Buffer.alloc(8);
  h.writeUInt8(4, 0);
  h.writeUInt8(type, 1);
  h.writeUInt16BE(8 + body.length, 2);
  return Buffer.concat([h, body]);
}
function asTableFeatureProp(propType: number, ids: Buffer): Buffer {
  const len = 4 + ids.length;
  const p = Buffer.alloc((len + 7) & ~7);
  p.writeUInt16BE(propType, 0);
  p.writeUInt16BE(len, 2);
  ids.copy(p, 4);
  return p;
}

/** Exactly one structure, using all the bytes: a fragment with bytes left over is a failure. */
function whole<T>(bytes: Buffer, decode: (r: Reader) => T): T {
  const r = new Reader(bytes);
  const v = decode(r);
  assert.equal(r.remaining, 0, `${r.remaining} bytes left after the structure`);
  return v;
}

/** loxigen class prefix → how to decode that fragment with protocol/structs. */
const FRAGMENT_DECODERS: readonly [prefix: string, decode: (b: Buffer) => unknown][] = [
  ['action_id.', (b) => (decodeTableFeatureProps(new Reader(asTableFeatureProp(6, b)))[0] as { action_ids: unknown[] }).action_ids[0]],
  ['instruction_id.', (b) => (decodeTableFeatureProps(new Reader(asTableFeatureProp(0, b)))[0] as { instruction_ids: unknown[] }).instruction_ids[0]],
  ['action.', (b) => whole(b, decodeAction)],
  ['instruction.', (b) => whole(b, decodeInstruction)],
  ['oxm.', (b) => whole(b, decodeOxm)],
  ['match', (b) => whole(b, decodeMatch)],
  ['hello_elem_', (b) => (decodeMessage(withHeader(0, b)) as { elements: unknown[] }).elements[0]],
];

withCorpus('loxigen', LOXIGEN_SAMPLES, () => {
  const constants = readCorpusJson('loxigen/loxigen-of13-constants.json') as Record<string, number>;
  for (const m of manifest().filter((e) => e.corpus === 'loxigen')) {
    const name = m.file.replace(/^.*\//, '');
    const doc = (readCorpusJson(m.expected[0]!) as { expected: Record<string, unknown> }).expected;
    const cls = doc['_class'] as string;
    if (cls.startsWith('bsn_tlv.')) {
      // BSN TLVs only ever travel inside Big Switch experimenter messages, which the codec
      // keeps opaque: what it owes them is to carry them byte for byte.
      sampleTest('loxigen', `loxigen ${name}: ${cls} rides opaque, byte exact, in a BSN EXPERIMENTER`, () => {
        const tlv = readCorpus(m.file);
        const body = Buffer.concat([Buffer.from([0, 0x5c, 0x16, 0xc7, 0, 0, 0, 0]), tlv]);
        const msg = decodeMessage(withHeader(4, body)) as unknown as { experimenter: number; data: Buffer };
        assert.equal(msg.experimenter, BSN_EXPERIMENTER);
        assertBytesEqual(msg.data, tlv, 'experimenter data');
      });
      continue;
    }
    if (!cls.startsWith('message.')) {
      const dec = FRAGMENT_DECODERS.find(([p]) => cls.startsWith(p));
      sampleTest('loxigen', `loxigen ${name}: fragment decoded as ${cls} equals loxigen's expected`, () => {
        assert.ok(dec, `no fragment decoder for ${cls}`);
        assertMatches(dec[1](readCorpus(m.file)), loxigenToExpected(doc, constants), { ignoreExtra: unprinted });
      });
      continue;
    }
    sampleTest('loxigen', `loxigen ${name}: ${cls} equals loxigen's expected`, () => {
      const decoded = decodeMessage(readCorpus(m.file));
      assertMatches(decoded, loxigenToExpected(doc, constants), { ignoreExtra: unprinted });
    });
  }
});

reportTableAfter('loxigen');
