/**
 * Test support for the multipart tests (not a test file itself): the conformance corpus,
 * a BigInt-aware JSON reader for its expected values, and a subset comparison.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeMessage, encodeMessage, type EncodableMessage } from '../../codec.js';
import { OFPMP, type MultipartTypeName } from '../../constants.js';
import type { Messages } from './index.js';
import { parseJsonBig } from '../../../test/conformance/bigjson.js';
import { CORPUS_PRESENT, CORPUS_ROOT } from '../../../test/conformance/corpus.js';

// Compiled to <repo>/<outDir>/protocol/messages/multipart/, so the repo root is four levels up.
export const CORPUS = resolve(CORPUS_ROOT);
export const HAVE_CORPUS = CORPUS_PRESENT;

export interface Sample {
  corpus: string;
  file: string;
  type_name: string;
  xid: number;
  multipart_type?: number;
  multipart_name?: string;
  multipart_flags?: number;
  expected?: string[];
}

let manifest: Sample[] | undefined;
export function samplesOf(name: MultipartTypeName): Sample[] {
  if (!HAVE_CORPUS) return [];
  manifest ??= JSON.parse(readFileSync(resolve(CORPUS, 'manifest.json'), 'utf8')) as Sample[];
  return manifest.filter((s) => s.multipart_type === OFPMP[name]);
}

export function readSample(s: Sample | string): Buffer {
  return readFileSync(resolve(CORPUS, typeof s === 'string' ? s : s.file));
}


export function readExpected(file: string): unknown {
  return parseJsonBig(readFileSync(resolve(CORPUS, file), 'utf8'));
}

/** Marker in an expected value: "an array of this many entries", for structures others own. */
export interface Count {
  $len: number;
}

/**
 * Every field in `exp` is in `act` with an equal value (integers compared as bigint, so a
 * number and a bigint of the same value agree). Fields `act` has beyond `exp` are not checked.
 */
export function assertSubset(act: unknown, exp: unknown, path = '$'): void {
  if (exp === undefined) return;
  if (typeof exp === 'bigint' || typeof exp === 'number') {
    assert.ok(typeof act === 'bigint' || typeof act === 'number', `${path}: expected a number, got ${typeof act}`);
    assert.equal(BigInt(act as number), BigInt(exp), path);
    return;
  }
  if (Buffer.isBuffer(exp)) {
    assert.ok(Buffer.isBuffer(act), `${path}: expected bytes`);
    assert.equal((act as Buffer).toString('hex'), exp.toString('hex'), path);
    return;
  }
  if (exp === null || typeof exp !== 'object') {
    assert.equal(act, exp, path);
    return;
  }
  if ('$len' in exp) {
    assert.ok(Array.isArray(act), `${path}: expected a list`);
    assert.equal(act.length, (exp as Count).$len, `${path}.length`);
    return;
  }
  if (Array.isArray(exp)) {
    assert.ok(Array.isArray(act), `${path}: expected a list`);
    assert.equal(act.length, exp.length, `${path}.length`);
    exp.forEach((e, k) => assertSubset(act[k], e, `${path}[${k}]`));
    return;
  }
  assert.ok(act !== null && typeof act === 'object', `${path}: expected an object`);
  for (const [k, v] of Object.entries(exp)) {
    assert.ok(v === undefined || k in act, `${path}.${k} missing`);
    assertSubset((act as Record<string, unknown>)[k], v, `${path}.${k}`);
  }
}

/** TLV lists whose type names other engineers' structs define: compared by count here. */
const FOREIGN_LISTS = new Set(['actions', 'instructions', 'bands', 'oxm_fields']);

/**
 * Ryu's JSON in our shape: class wrappers ({"OFPFlowStats": {...}}) removed, implied lengths
 * dropped, foreign TLV lists reduced to their count.
 */
export function fromRyu(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(fromRyu);
  if (v === null || typeof v !== 'object') return v;
  const keys = Object.keys(v);
  if (keys.length === 1 && /^[A-Z]/.test(keys[0]!)) return fromRyu((v as Record<string, unknown>)[keys[0]!]);
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) {
    if (k === 'len' || k === 'length' || k === 'match_len') continue;
    out[k] = FOREIGN_LISTS.has(k) && Array.isArray(x) ? { $len: x.length } : fromRyu(x);
  }
  return out;
}

export interface SuiteOptions {
  /** Ryu's whole (unwrapped) message → our body list, where Ryu's body differs in structure. */
  ryuBody?: (top: Record<string, unknown>) => unknown[];
  /** Ryu's (already unwrapped) body entry → what our entry must contain. */
  ryuEntry?: (e: Record<string, unknown>) => unknown;
  /** loxigen's expected message → our body list (subset). */
  lox?: (e: Record<string, unknown>) => unknown;
  /** Extra checks for one sample. */
  check?: (msg: Messages, s: Sample) => void;
}

/**
 * For every corpus sample of this multipart type: it decodes, the envelope agrees with the
 * manifest, the fields agree with Ryu's / loxigen's expected values where they exist, and
 * encoding the decoded value gives the original bytes back.
 */
export function corpusSuite(name: MultipartTypeName, opts: SuiteOptions = {}): void {
  if (!HAVE_CORPUS) {
    // Like test/conformance/corpus.ts withCorpus: a visible notice, not a skip.
    test(`${name}: corpus absent, samples not run`, (t) => {
      const notice = `conformance corpus not found at ${CORPUS} (set OFSTATS_CORPUS): ${name} samples not run`;
      t.diagnostic(notice);
      console.log(`NOTICE: ${notice}`);
    });
    return;
  }
  const samples = samplesOf(name);
  test(`${name}: the corpus has samples`, () => assert.ok(samples.length > 0));
  for (const s of samples) {
    test(`${name} ${s.file}`, () => {
      const bytes = readSample(s);
      const msg = decodeMessage(bytes) as Messages;
      assert.equal(msg.type, s.type_name);
      assert.equal(msg.xid, s.xid);
      assert.equal(msg.multipart_type, name);
      assert.equal(msg.flags, s.multipart_flags);
      assert.ok(Array.isArray(msg.body));
      for (const file of s.expected ?? []) {
        if (file.startsWith('ryu/json/')) checkRyu(msg, file, opts);
        else if (file.startsWith('loxigen/') && opts.lox) checkLox(msg, file, opts.lox);
      }
      opts.check?.(msg, s);
      const again = encodeMessage(msg as EncodableMessage);
      assert.equal(again.toString('hex'), bytes.toString('hex'), 'encode(decode(bytes)) == bytes');
    });
  }
}

function checkRyu(msg: Messages, file: string, opts: SuiteOptions): void {
  const top = fromRyu(readExpected(file)) as Record<string, unknown>;
  assertSubset(msg.flags, top.flags, 'flags');
  assertSubset(OFPMP[msg.multipart_type as MultipartTypeName], top.type, 'type');
  if (opts.ryuBody) return assertSubset(msg.body, opts.ryuBody(top), 'body');
  const { flags: _f, type: _t, body, ...rest } = top;
  // Ryu flattens a request's single structure into the message; replies keep it under `body`.
  let entries: unknown[];
  if (body === undefined) entries = Object.keys(rest).length > 0 ? [rest] : [];
  else entries = Array.isArray(body) ? body : [body];
  const map = opts.ryuEntry ?? ((e) => e);
  assert.equal(msg.body.length, entries.length, 'body length');
  entries.forEach((e, k) => assertSubset(msg.body[k], map(e as Record<string, unknown>), `body[${k}]`));
}

function checkLox(msg: Messages, file: string, lox: NonNullable<SuiteOptions['lox']>): void {
  const doc = readExpected(file) as { expected: Record<string, unknown> };
  assertSubset(msg.xid, doc.expected.xid, 'xid');
  assertSubset(msg.flags, doc.expected.flags, 'flags');
  assertSubset(msg.body, lox(doc.expected), 'body');
}

/** loxigen's expected entries without its `_class` tags and with foreign lists as counts. */
export function fromLox(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(fromLox);
  if (v === null || typeof v !== 'object') return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) {
    if (k === '_class') continue;
    out[k] = FOREIGN_LISTS.has(k) && Array.isArray(x) ? { $len: x.length } : fromLox(x);
  }
  return out;
}

/** A whole multipart message around a body given as hex (spaces allowed), for spec-layout tests. */
export function multipartBytes(type: 18 | 19, mpType: number, body: string | Buffer, flags = 0, xid = 0x12345678): Buffer {
  const b = typeof body === 'string' ? Buffer.from(body.replace(/\s+/g, ''), 'hex') : body;
  const h = Buffer.alloc(16);
  h.writeUInt8(4, 0);
  h.writeUInt8(type, 1);
  h.writeUInt16BE(16 + b.length, 2);
  h.writeUInt32BE(xid, 4);
  h.writeUInt16BE(mpType, 8);
  h.writeUInt16BE(flags, 10);
  return Buffer.concat([h, b]);
}

/** Decoding must give the typed error (never RangeError/TypeError), with its reason matching. */
export function assertDecodeError(bytes: Buffer, reason?: RegExp): void {
  assert.throws(
    () => decodeMessage(bytes),
    (e: unknown) => {
      assert.equal((e as Error).name, 'OfDecodeError', String(e));
      if (reason) assert.match((e as Error).message, reason);
      return true;
    },
  );
}

/** decode, then encode: the bytes must come back unchanged. */
export function roundTrip(bytes: Buffer): Messages {
  const msg = decodeMessage(bytes) as Messages;
  assert.equal(encodeMessage(msg as EncodableMessage).toString('hex'), bytes.toString('hex'));
  return msg;
}
