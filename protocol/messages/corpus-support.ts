/**
 * Test support shared by the hello..table-mod family tests: runs every corpus sample of the
 * given message types through decode, compares with the values other people's encoders
 * expect (Ryu JSON, loxigen JSON, ovs-ofctl text), and checks encode(decode(bytes)) == bytes
 * for every type the codec encodes. Imported only by *.test.ts files.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { test } from 'node:test';
import { canEncode, decodeMessage, encodeMessage, type EncodableMessage, type OfMessage } from '../codec.js';
import type { MsgTypeName } from '../constants.js';
import { OfEncodeError } from '../errors.js';
import type { Family, MessageBase } from '../family.js';
import { assertBytesEqual, assertMatches, ignoreNames } from '../../test/conformance/compare.js';
import {
  CORPUS_PRESENT,
  CORPUS_ROOT,
  manifest,
  readCorpus,
  readCorpusJson,
  type ManifestEntry,
} from '../../test/conformance/corpus.js';

type Json = unknown;
type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

/** An expectation in our shape, plus which decoded keys the reference does not print. */
export interface Expected {
  value: Obj;
  ignore?: (key: string) => boolean;
}

export interface SuiteOptions {
  /** Ryu's JSON after ryuShape → our shape. Default: as is. */
  ryu?: (j: Obj, m: OfMessage) => Expected;
  /** loxigen's raw ctor tree (without xid) → our shape. Default: loxiShape. */
  loxigen?: (j: Obj, m: OfMessage) => Expected;
  /** Checks a decoded message against the exact text `ovs-ofctl ofp-print` printed for it. */
  ovs?: (m: OfMessage, text: string) => void;
}

const b64 = (s: string): Buffer => Buffer.from(s, 'base64');

/** Ryu JSON: drops class wrappers and implied lengths, turns base64 / byte lists into bytes. */
export function ryuShape(j: Json): Json {
  if (Array.isArray(j)) return j.map(ryuShape);
  if (!isObj(j)) return j;
  const keys = Object.keys(j);
  if (keys.length === 1 && /^OFP|^OXM/.test(keys[0]!) && isObj(j[keys[0]!])) return ryuShape(j[keys[0]!]);
  const out: Obj = {};
  for (const [k, v] of Object.entries(j)) {
    if (k === 'len' || k === 'length') continue;
    if (k === 'data' && typeof v === 'string') out[k] = b64(v);
    else if (k === 'data' && Array.isArray(v)) out[k] = Buffer.from(v as number[]);
    else out[k] = ryuShape(v);
  }
  return out;
}

/** loxigen's tree: drops `_class`, unboxes `uint32`, MACs as text, data strings as bytes. */
export function loxiShape(j: Json): Json {
  if (Array.isArray(j)) return j.map(loxiShape);
  if (!isObj(j)) return j;
  if (j['_class'] === 'uint32' && Array.isArray(j['_args'])) return j['_args'][0];
  const out: Obj = {};
  for (const [k, v] of Object.entries(j)) {
    if (k === '_class') continue;
    if (k === 'hw_addr' && Array.isArray(v)) out[k] = (v as number[]).map((b) => b.toString(16).padStart(2, '0')).join(':');
    else if (k === 'data' && typeof v === 'string') out[k] = Buffer.from(v, 'latin1');
    else out[k] = loxiShape(v);
  }
  return out;
}

export function samplesOf(types: readonly MsgTypeName[]): ManifestEntry[] {
  const want = new Set<string>(types);
  return manifest().filter((e) => e.whole_message === true && e.type_name !== null && want.has(e.type_name));
}

function unwrapRyu(rel: string): Obj {
  const j = readCorpusJson(rel);
  assert.ok(isObj(j));
  const inner = Object.values(j)[0];
  assert.ok(isObj(inner), `${rel}: expected {"OFPClass": {...}}`);
  return inner;
}

function check(exp: Expected, m: OfMessage): void {
  const ignore = exp.ignore ?? (() => false);
  assertMatches(m, exp.value, { ignoreExtra: (k) => ignoreNames(k) || ['version', 'type', 'xid'].includes(k) || ignore(k) });
}

/**
 * One test per corpus sample of `types`: decodes, agrees with the sample's reference values,
 * and re-encodes to the same bytes when the codec encodes that type.
 */
export function corpusSuite(label: string, types: readonly MsgTypeName[], opts: SuiteOptions = {}): void {
  if (!CORPUS_PRESENT) {
    test(`${label}: corpus absent, samples not run`, (t) => {
      const notice = `conformance corpus not found at ${CORPUS_ROOT} (set OFSTATS_CORPUS): ${label} samples not run`;
      t.diagnostic(notice);
      console.log(`NOTICE: ${notice}`);
    });
    return;
  }
  const samples = samplesOf(types);
  test(`${label}: the corpus has samples of ${types.join(', ')}`, () => {
    assert.ok(samples.length > 0);
  });
  for (const s of samples) {
    test(`${label}: ${s.file}`, () => {
      const bytes = readCorpus(s.file);
      const m = decodeMessage(bytes);
      assert.equal(m.type, s.type_name);
      assert.equal(m.xid, s.xid);
      assert.equal(m.version, s.version);
      for (const rel of s.expected) {
        if (rel.startsWith('ryu/json/')) {
          const j = unwrapRyu(rel);
          const shaped = ryuShape(j) as Obj;
          check(opts.ryu ? opts.ryu(shaped, m) : { value: shaped }, m);
        } else if (rel.startsWith('loxigen/')) {
          const j = (readCorpusJson(rel) as Obj)['expected'] as Obj;
          assert.equal(m.xid, Number(j['xid']));
          const { xid: _xid, ...rest } = j;
          check(opts.loxigen ? opts.loxigen(rest, m) : { value: loxiShape(rest) as Obj }, m);
        } else if (rel.startsWith('ovs/') && rel.endsWith('.expected.txt')) {
          assert.ok(opts.ovs, `${label}: no ovs-ofctl text check for ${s.type_name}`);
          opts.ovs(m, readCorpus(rel).toString('utf8'));
        }
      }
      if (canEncode(m.type)) assertBytesEqual(encodeMessage(m as EncodableMessage), bytes, `${s.file} re-encoded`);
    });
  }
}

/** What `ovs-ofctl ofp-print` (Open vSwitch's own decoder, a real peer) makes of these bytes. */
export function ofpPrint(bytes: Buffer): string {
  return execFileSync('ovs-ofctl', ['ofp-print', bytes.toString('hex')], { encoding: 'utf8' });
}

/** A test that needs the corpus; where it is absent, a passing test that says so instead. */
export function corpusTest(name: string, fn: () => void): void {
  if (CORPUS_PRESENT) test(name, fn);
  else test(`${name}: corpus absent, not run`, (t) => t.diagnostic(`conformance corpus not found at ${CORPUS_ROOT}`));
}

export { readCorpus, readCorpusJson };

/**
 * encodeMessage for any decoded message: its static type (OfMessage) includes the
 * state-changing types, which the codec refuses at run time (tested by assertNoEncoder).
 */
export function encode(m: OfMessage | { type: string }): Buffer {
  return encodeMessage(m as EncodableMessage);
}

/**
 * A state-changing type: its family has no `encode` property at all, and the codec refuses
 * to build it even when asked with a well-formed message.
 */
export function assertNoEncoder(families: readonly Family<MessageBase>[], name: MsgTypeName, sample: object): void {
  const fam = families.find((f) => f.name === name);
  assert.ok(fam, `${name} is decodable`);
  assert.equal('encode' in fam, false, `${name} must have no encode property`);
  assert.equal(canEncode(name), false);
  assert.throws(() => encode({ version: 4, type: name, xid: 1, ...sample }), OfEncodeError);
}
