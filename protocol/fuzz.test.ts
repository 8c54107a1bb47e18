/**
 * Property-based fuzzing of the framer and the decoder (fast-check). Inputs: random bytes,
 * random bodies behind a well-formed header of every message type, structure-aware flow-stats
 * replies, and mutations (bit flips, byte writes, truncations, insertions, rewritten length
 * fields at the header and inside nested structures) of the conformance corpus and of our own
 * encodings of what we decoded. The contract checked on every case:
 *
 *   - decodeMessage gives a value or throws OfDecodeError; a RangeError/TypeError that the codec
 *     only wrapped (reason "malformed: ...") counts as a crash, as does anything else thrown;
 *   - each case finishes within CASE_BUDGET_MS, and its decoded value stays within a size
 *     bound proportional to the input (no amplification), heap growth stays bounded;
 *   - the framer yields the same messages whatever the chunking, or the same OfDecodeError;
 *   - whatever decodes and has an encoder re-encodes, and decodes again to the same value;
 *   - the lean flow-stats scan accepts whatever the full decoder accepts, with the same values,
 *     appended after what its columns held; a message it rejects leaves the columns as they were.
 *
 * Violations are collected (smallest input per distinct site) rather than stopping at the
 * first, then reported together with the seed. Runs: OFSTATS_FUZZ_RUNS (default 20,000 in
 * total), seed: OFSTATS_FUZZ_SEED. Corpus: OFSTATS_CORPUS (default ../shared/corpus/of13).
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import fc from 'fast-check';
import { decodeMessage, encodeMessage, canEncode, type EncodableMessage } from './codec.js';
import { OfDecodeError, OfEncodeError } from './errors.js';
import { Framer } from './framer.js';
import { readHeader } from './header.js';
import { toJson } from './json.js';
import { OFPT_NAMES, type MsgTypeName } from './constants.js';
import { Reader } from './wire/reader.js';
import type { Family, MessageBase } from './family.js';
import { flowStatsObjects, scanFlowStatsMessage, type FlowStatsLean } from './fast/flow-stats-scan.js';
import { FlowStatsColumns } from './fast/flow-stats-columns.js';
import { CORPUS_PRESENT, CORPUS_ROOT } from '../test/conformance/corpus.js';

const TOTAL_RUNS = Number(process.env['OFSTATS_FUZZ_RUNS'] ?? 20_000);
const SEED = process.env['OFSTATS_FUZZ_SEED'] !== undefined
  ? Number(process.env['OFSTATS_FUZZ_SEED'])
  : (Date.now() ^ (Math.random() * 0x7fffffff)) | 0;
const CASE_BUDGET_MS = 200;
const HEAP_GROWTH_LIMIT = 256 * 1024 * 1024;

const here = dirname(fileURLToPath(import.meta.url));
const CORPUS = CORPUS_ROOT;

console.log(
  `fuzz: seed ${SEED} (reproduce with OFSTATS_FUZZ_SEED=${SEED}), ${TOTAL_RUNS} cases in total, ` +
    (CORPUS_PRESENT
      ? `corpus ${CORPUS}`
      : `corpus ABSENT at ${CORPUS} (set OFSTATS_CORPUS): random, generated and self-encoded inputs only`),
);

// ---- Findings --------------------------------------------------------------------------------

interface Finding {
  kind: string;
  site: string;
  detail: string;
  hex: string;
  stack: string;
  count: number;
}
const findings = new Map<string, Finding>();

function record(kind: string, input: Buffer, detail: string, stack = '', key?: string): void {
  // Deduplicate by where it happened: the first stack frame inside protocol/, else the given
  // key, else the message type and the start of the detail.
  const frame = stack.split('\n').find((l) => /protocol\//.test(l) && !/fuzz\.test/.test(l))?.trim() ?? '';
  const where = frame.replace(/^at /, '').replace(/file:\/\/\S*?\/protocol\//, 'protocol/');
  const site = `${kind} @ ${where || key || `${OFPT_NAMES.get(input[1] ?? -1) ?? input[1]}: ${detail.slice(0, 60)}`}`;
  const prev = findings.get(site);
  const hex = input.toString('hex');
  if (!prev) findings.set(site, { kind, site, detail, hex, stack, count: 1 });
  else {
    prev.count++;
    if (hex.length < prev.hex.length) Object.assign(prev, { detail, hex, stack });
  }
}

// The codec wraps any stray exception as "malformed: ..."; re-running the family's decoder
// directly recovers the original error and its stack for the report.
const familyByCode = new Map<number, Family<MessageBase>>();
const messagesDir = join(here, 'messages');
for (const d of readdirSync(messagesDir)) {
  const index = join(messagesDir, d, 'index.js');
  if (!existsSync(index)) continue;
  const mod = (await import(pathToFileURL(index).href)) as { families?: readonly Family<MessageBase>[] };
  for (const f of mod.families ?? []) familyByCode.set(f.code, f);
}

function rawError(buf: Buffer): unknown {
  try {
    const h = readHeader(buf, 0);
    familyByCode.get(h.type)?.decode(new Reader(buf, 8, h.length, 0), h);
  } catch (e) {
    return e;
  }
  return undefined;
}

const stats = { decoded: 0, rejected: 0, maxMs: 0 };

type Outcome = { ok: true; value: MessageBase } | { ok: false; error: OfDecodeError };

/** The decoder contract for one whole message; returns what happened for further checks. */
function checkDecode(buf: Buffer): Outcome | undefined {
  const t0 = performance.now();
  let out: Outcome | undefined;
  try {
    out = { ok: true, value: decodeMessage(buf) as MessageBase };
  } catch (e) {
    if (!(e instanceof OfDecodeError)) {
      record('threw non-OfDecodeError', buf, String(e), (e as Error)?.stack ?? '');
      return undefined;
    }
    if (e.reason.startsWith('malformed:')) {
      const raw = rawError(buf);
      record(`crash (${(raw as Error)?.name ?? 'unknown'}) wrapped by decodeMessage`, buf, e.message, (raw as Error)?.stack ?? '');
    }
    out = { ok: false, error: e };
  }
  const dt = performance.now() - t0;
  if (out.ok) stats.decoded++;
  else stats.rejected++;
  if (dt > stats.maxMs) stats.maxMs = dt;
  if (dt > CASE_BUDGET_MS) {
    // One retry so a GC pause is not reported as a slow decoder.
    const t1 = performance.now();
    try {
      decodeMessage(buf);
    } catch {
      /* same outcome as above */
    }
    const dt2 = performance.now() - t1;
    if (dt2 > CASE_BUDGET_MS) record('slow', buf, `decode took ${dt2.toFixed(0)} ms (budget ${CASE_BUDGET_MS})`);
  }
  if (out.ok) {
    const size = toJson(out.value).length;
    if (size > 100 * buf.length + 10_000) record('amplification', buf, `${buf.length} bytes decoded to ${size} chars of JSON`);
  }
  return out;
}

/** Whatever decodes and has an encoder must re-encode and decode again to the same value. */
function checkRoundTrip(buf: Buffer, value: MessageBase): void {
  if (!canEncode(value.type as MsgTypeName)) return;
  let again: Buffer;
  try {
    again = encodeMessage(value as EncodableMessage);
  } catch (e) {
    const kind = e instanceof OfEncodeError ? 'encoder refuses a decoded value' : `encoder crash (${(e as Error)?.name})`;
    record(kind, buf, `${value.type}: ${(e as Error)?.message}`, (e as Error)?.stack ?? '');
    return;
  }
  let back: unknown;
  try {
    back = decodeMessage(again);
  } catch (e) {
    record('re-encoded bytes do not decode', buf, `${value.type}: ${(e as Error).message}; re-encoded ${again.toString('hex')}`, (e as Error).stack ?? '');
    return;
  }
  try {
    assert.deepStrictEqual(back, value);
  } catch (e) {
    record('decode(encode(v)) != v', buf, `${value.type}: re-encoded ${again.toString('hex')}\n${(e as Error).message.slice(0, 1500)}`, '', `${value.type} ${diffPath(back, value)}`);
  }
}

/** The first path at which two decoded values differ, to group round-trip findings by field. */
function diffPath(a: unknown, b: unknown, path = ''): string {
  if (a === b) return '';
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null || Buffer.isBuffer(a)) return path || '(root)';
  for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) {
    const d = diffPath((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${path}.${k}`);
    if (d) return Array.isArray(a) ? d.replace(/\.\d+/g, '[]') : d;
  }
  return Buffer.isBuffer(b) ? path : '';
}

/** A reply part the lean check scans first, so a later failing part has entries to leave alone. */
const LEAN_PRIOR = Buffer.from(
  '0413004800000001' + '0001000000000000' +
  '0038' + '0500' + '0000000700000000' + '0009000000000000' + '00000000' +
  'ffffffff00000001' + '0000000000000002' + '0000000000000003' + '0001000400000000', 'hex');
const LEAN_PRIOR_ENTRY: FlowStatsLean = {
  table_id: 5, priority: 9, cookie: 0xffffffff00000001n, packet_count: 2n, byte_count: 3n, in_port: 0, out_port: 0,
};

/**
 * Where the message is a flow-stats reply, the lean scan must agree with the full decoder: it
 * is scanned into columns already holding LEAN_PRIOR's entry, as the connection scans a second
 * part, so a rejected message must leave exactly that entry behind.
 */
function checkLean(buf: Buffer, out: Outcome): void {
  if (buf.length < 16 || buf[1] !== 19 || buf.readUInt16BE(8) !== 1 || buf[0] !== 4) return;
  const cols = new FlowStatsColumns(1);
  scanFlowStatsMessage(LEAN_PRIOR, cols);
  let lean: FlowStatsLean[] | undefined;
  let leanErr: unknown;
  try {
    scanFlowStatsMessage(buf, cols);
    lean = flowStatsObjects(cols);
    const prior = lean.shift();
    assert.deepStrictEqual(prior, LEAN_PRIOR_ENTRY);
  } catch (e) {
    leanErr = e;
    if (!(e instanceof OfDecodeError)) record(`lean scan crash (${(e as Error)?.name})`, buf, String(e), (e as Error)?.stack ?? '');
    else if (cols.length !== 1 || cols.cookie(0) !== LEAN_PRIOR_ENTRY.cookie) record('lean scan keeps part of a rejected message', buf, `columns hold ${cols.length} entries`);
  }
  if (!out.ok) return;
  if (!lean) {
    record('lean scan rejects what the full decoder accepts', buf, String(leanErr));
    return;
  }
  const body = (out.value as unknown as { body: Parameters<typeof project>[0][] }).body;
  try {
    assert.deepStrictEqual(lean, body.map(project));
  } catch (e) {
    record('lean scan disagrees with the full decoder', buf, (e as Error).message.slice(0, 1500), '', diffPath(lean, body.map(project)));
  }
}

/** The unmasked IN_PORT; the first OUTPUT of APPLY_ACTIONS, else of WRITE_ACTIONS (§5.9's order); 0 for none. */
function project(fs: {
  table_id: number; priority: number; cookie: bigint; packet_count: bigint; byte_count: bigint;
  match: { oxm_fields: { class: unknown; field: unknown; value?: unknown; mask?: unknown }[] };
  instructions: { type: unknown; actions?: { type: unknown; port?: number }[] }[];
}): FlowStatsLean {
  const inPort = fs.match.oxm_fields.find((f) => f.class === 'OPENFLOW_BASIC' && f.field === 'in_port' && f.mask === undefined);
  const firstOutput = (kind: string): number | undefined => {
    for (const i of fs.instructions) {
      if (i.type !== kind) continue;
      for (const a of i.actions ?? []) if (a.type === 'OUTPUT') return a.port;
    }
    return undefined;
  };
  return {
    table_id: fs.table_id, priority: fs.priority, cookie: fs.cookie, packet_count: fs.packet_count, byte_count: fs.byte_count,
    in_port: (inPort?.value as number | undefined) ?? 0, out_port: firstOutput('APPLY_ACTIONS') ?? firstOutput('WRITE_ACTIONS') ?? 0,
  };
}

/** Every check that applies to one whole message. */
function checkMessage(buf: Buffer): void {
  const out = checkDecode(buf);
  if (!out) return;
  if (out.ok) checkRoundTrip(buf, out.value);
  checkLean(buf, out);
}

// ---- Seeds: the corpus, spec-layout messages, and our own encodings ------------------------

function corpusSeeds(): Buffer[] {
  if (!CORPUS_PRESENT) return [];
  const manifest = JSON.parse(readFileSync(join(CORPUS, 'manifest.json'), 'utf8')) as { file: string; whole_message: boolean | null }[];
  return manifest.filter((e) => e.whole_message).map((e) => readFileSync(join(CORPUS, e.file)));
}

/** A few messages written from the spec's byte layouts, so mutation has seeds without the corpus. */
const SPEC_SEEDS_HEX = [
  '04000010000000010001000800000010', // HELLO with a VERSIONBITMAP element (1.3)
  '0402000c00000002cafebabe', // ECHO_REQUEST with data
  '04060020000000030000000000000001' + '00000100fe000000' + '0000004700000000', // FEATURES_REPLY
  '0401000c0000000400010002', // ERROR BAD_REQUEST/BAD_TYPE
  '0413008000000005' + '0004000000000000' + '0000000100000000' + '00000000000000aa'.repeat(12) + '0000000a00000000', // PORT_STATS reply
  '0412003800000006' + '0001000000000000' + 'ff000000ffffffffffffffff00000000' + '0'.repeat(32) + '0001000400000000', // FLOW request
  '0419001800000007' + '0000000200000000' + '0000000000000001', // ROLE_REPLY
].map((h) => Buffer.from(h, 'hex'));

// ---- Structure-aware flow-stats replies -------------------------------------------------------

const u16 = (v: number): Buffer => { const b = Buffer.alloc(2); b.writeUInt16BE(v & 0xffff); return b; };
const u32 = (v: number): Buffer => { const b = Buffer.alloc(4); b.writeUInt32BE(v >>> 0); return b; };
const pad8 = (b: Buffer): Buffer => Buffer.concat([b, Buffer.alloc((8 - (b.length % 8)) % 8)]);

const OXM_WIDTHS = [4, 4, 8, 6, 6, 2, 2, 1, 1, 1, 1, 1, 4, 4, 2, 2, 2, 2, 2, 2, 1, 1, 1, 1, 2, 4, 4, 6, 6, 16, 16, 4, 1, 1, 2, 2, 16, 6, 6, 4, 1, 1, 1, 3, 8, 2, 4];
const oxmArb = fc.oneof(
  { weight: 6, arbitrary: fc.record({ field: fc.integer({ min: 0, max: 44 }), mask: fc.boolean(), seed: fc.uint8Array({ minLength: 32, maxLength: 32 }) }).map(({ field, mask, seed }) => {
    const w = OXM_WIDTHS[field] ?? 4;
    const len = mask ? 2 * w : w;
    return Buffer.concat([u16(0x8000), Buffer.from([(field << 1) | (mask ? 1 : 0), len]), Buffer.from(seed.subarray(0, len))]);
  }) },
  { weight: 1, arbitrary: fc.tuple(fc.integer({ min: 0, max: 0xffff }), fc.integer({ min: 0, max: 255 }), fc.uint8Array({ maxLength: 12 })).map(([cls, fh, data]) =>
    Buffer.concat([u16(cls), Buffer.from([fh, cls === 0xffff ? data.length + 4 : data.length]), cls === 0xffff ? u32(0x4f4e4600) : Buffer.alloc(0), Buffer.from(data)])) },
);
const FIXED8_ACTIONS = [11, 12, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 26, 27];
const actionArb = fc.oneof(
  { weight: 4, arbitrary: fc.tuple(fc.integer({ min: 0, max: 0xffffffff }), fc.integer({ min: 0, max: 0xffff })).map(([port, max]) => Buffer.concat([u16(0), u16(16), u32(port), u16(max), Buffer.alloc(6)])) },
  { weight: 4, arbitrary: fc.tuple(fc.constantFrom(...FIXED8_ACTIONS), fc.integer({ min: 0, max: 0xffffffff })).map(([t, v]) => Buffer.concat([u16(t), u16(8), u32(t === 17 || t === 19 || t === 26 ? 0x8100 << 16 : v)])) },
  { weight: 2, arbitrary: oxmArb.map((o) => { const b = pad8(Buffer.concat([u16(25), u16(0), o])); b.writeUInt16BE(b.length, 2); return b; }) },
  { weight: 1, arbitrary: fc.tuple(fc.integer({ min: 0, max: 0xffff }), fc.uint8Array({ maxLength: 16 })).map(([t, d]) => { const b = pad8(Buffer.concat([u16(t), u16(0), u32(0x2320), Buffer.from(d)])); b.writeUInt16BE(b.length, 2); return b; }) },
);
const instructionArb = fc.oneof(
  { weight: 4, arbitrary: fc.tuple(fc.constantFrom(3, 4), fc.array(actionArb, { maxLength: 4 })).map(([t, acts]) => { const b = Buffer.concat([u16(t), u16(0), u32(0), ...acts]); b.writeUInt16BE(b.length, 2); return b; }) },
  { weight: 2, arbitrary: fc.tuple(fc.constantFrom(1, 5, 6), fc.integer({ min: 0, max: 0xffffffff })).map(([t, v]) => Buffer.concat([u16(t), u16(8), u32(t === 1 ? (v & 0xff) << 24 : t === 5 ? 0 : v)])) },
  { weight: 1, arbitrary: fc.uint8Array({ minLength: 16, maxLength: 16 }).map((d) => Buffer.concat([u16(2), u16(24), u32(0), Buffer.from(d)])) },
  { weight: 1, arbitrary: fc.tuple(fc.integer({ min: 0, max: 0xffff }), fc.uint8Array({ maxLength: 16 })).map(([t, d]) => { const b = pad8(Buffer.concat([u16(t), u16(0), u32(0x2320), Buffer.from(d)])); b.writeUInt16BE(b.length, 2); return b; }) },
);
const flowStatsEntryArb = fc.tuple(fc.uint8Array({ minLength: 46, maxLength: 46 }), fc.array(oxmArb, { maxLength: 5 }), fc.array(instructionArb, { maxLength: 4 })).map(([fixed, oxms, insts]) => {
  const f = Buffer.from(fixed);
  f[1] = 0; // pad
  f.fill(0, 18, 22); // pad
  const matchBody = Buffer.concat([u16(1), u16(0), ...oxms]);
  matchBody.writeUInt16BE(matchBody.length, 2);
  const e = Buffer.concat([u16(0), f, pad8(matchBody), ...insts]);
  e.writeUInt16BE(e.length, 0);
  return e;
});
const flowStatsReplyArb = fc.tuple(fc.array(flowStatsEntryArb, { maxLength: 6 }), fc.integer({ min: 0, max: 0xffffffff }), fc.constantFrom(0, 1)).map(([entries, xid, flags]) => {
  const m = Buffer.concat([Buffer.from([4, 19, 0, 0]), u32(xid), u16(1), u16(flags), u32(0), ...entries]);
  m.writeUInt16BE(m.length & 0xffff, 2);
  return m;
});

// ---- Mutations ---------------------------------------------------------------------------------

const interestingU16 = fc.oneof(
  fc.constantFrom(0, 1, 2, 3, 4, 5, 7, 8, 9, 12, 15, 16, 17, 24, 47, 48, 55, 56, 64, 0x7fff, 0x8000, 0xfffe, 0xffff),
  fc.integer({ min: 0, max: 0xffff }),
);

/** Offsets holding something that looks like a TLV/struct length (so nested lengths get rewritten). */
function lengthCandidates(b: Buffer): number[] {
  const out = [2];
  for (let p = 8; p + 2 <= b.length; p += 2) {
    const v = b.readUInt16BE(p);
    if (v >= 4 && v <= b.length - p + 4) out.push(p);
  }
  return out;
}

type Mutation =
  | { kind: 'flip'; pos: number; bit: number }
  | { kind: 'byte'; pos: number; value: number }
  | { kind: 'truncate'; to: number }
  | { kind: 'insert'; pos: number; bytes: Uint8Array }
  | { kind: 'delete'; pos: number; n: number }
  | { kind: 'length'; which: number; value: number; delta: boolean };

const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('flip' as const), pos: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('byte' as const), pos: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('truncate' as const), to: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('insert' as const), pos: fc.nat(), bytes: fc.uint8Array({ minLength: 1, maxLength: 16 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('delete' as const), pos: fc.nat(), n: fc.integer({ min: 1, max: 16 }) }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('length' as const), which: fc.nat(), value: interestingU16, delta: fc.boolean() }) },
);

function mutate(src: Buffer, muts: Mutation[], fixHeader: boolean): Buffer {
  let b = Buffer.from(src);
  for (const m of muts) {
    if (b.length === 0) break;
    switch (m.kind) {
      case 'flip': b[m.pos % b.length]! ^= 1 << m.bit; break;
      case 'byte': b[m.pos % b.length] = m.value; break;
      case 'truncate': b = b.subarray(0, m.to % (b.length + 1)); break;
      case 'insert': { const p = m.pos % (b.length + 1); b = Buffer.concat([b.subarray(0, p), m.bytes, b.subarray(p)]); break; }
      case 'delete': { const p = m.pos % b.length; b = Buffer.concat([b.subarray(0, p), b.subarray(p + m.n)]); break; }
      case 'length': {
        if (b.length < 4) break;
        const c = lengthCandidates(b);
        const p = c[m.which % c.length]!;
        // Either a nearby value (off by a little: the classic bug) or an arbitrary one.
        const v = m.delta ? b.readUInt16BE(p) + ((m.value % 33) - 16) : m.value;
        b.writeUInt16BE(v & 0xffff, p);
        break;
      }
    }
  }
  // Usually keep the header length true to the bytes, so the mutation reaches the body.
  if (fixHeader && b.length >= 8 && b.length <= 0xffff) b.writeUInt16BE(b.length, 2);
  return Buffer.from(b);
}

// ---- Seeds, including our own encodings of everything the seeds decode to -------------------

const baseSeeds = [...corpusSeeds(), ...SPEC_SEEDS_HEX];
const ownEncodings: Buffer[] = [];
for (const s of baseSeeds) {
  try {
    const v = decodeMessage(s) as MessageBase;
    if (canEncode(v.type as MsgTypeName)) ownEncodings.push(encodeMessage(v as EncodableMessage));
  } catch {
    /* seeds that do not decode (the deliberately invalid ones) are still mutated as they are */
  }
}
const seeds = [...baseSeeds, ...ownEncodings];
const seedArb = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...seeds) },
  { weight: 1, arbitrary: flowStatsReplyArb },
);
const messageTypes = [...OFPT_NAMES.keys()];

// ---- The properties -------------------------------------------------------------------------

/** Share of the total runs each property gets. */
const SHARE = { random: 0.1, typedBody: 0.25, mutated: 0.4, generated: 0.1, framer: 0.15 };
const runsOf = (k: keyof typeof SHARE): number => Math.max(100, Math.round(TOTAL_RUNS * SHARE[k]));
let casesRun = 0;
let propertyIndex = 0;

function run<T>(name: string, arb: fc.Arbitrary<T>, runs: number, body: (v: T) => void): void {
  const seed = SEED + propertyIndex++;
  const heap0 = process.memoryUsage().heapUsed;
  fc.assert(
    fc.property(arb, (v) => {
      casesRun++;
      body(v);
      return true;
    }),
    { numRuns: runs, seed },
  );
  global.gc?.();
  const growth = process.memoryUsage().heapUsed - heap0;
  if (growth > HEAP_GROWTH_LIMIT) record('memory', Buffer.alloc(0), `${name}: heap grew ${(growth / 1e6).toFixed(0)} MB over ${runs} cases`);
}

test('seeds: our own encodings of the seeds are valid messages themselves', () => {
  console.log(`fuzz: ${baseSeeds.length} seed messages (${corpusSeeds().length} from the corpus), ${ownEncodings.length} of our own encodings`);
  for (const s of ownEncodings) checkMessage(s);
});

test('random bytes through the decoder', { timeout: 600_000 }, () => {
  run('random', fc.uint8Array({ maxLength: 256 }), runsOf('random'), (b) => checkMessage(Buffer.from(b)));
});

test('random bodies behind a valid header of every message type', { timeout: 600_000 }, () => {
  const arb = fc.tuple(fc.constantFrom(...messageTypes), fc.uint8Array({ maxLength: 300 }), fc.integer({ min: 0, max: 0xffffffff }), fc.boolean());
  run('typedBody', arb, runsOf('typedBody'), ([type, body, xid, multipartFlow]) => {
    const b = Buffer.concat([Buffer.from([4, type, 0, 0]), u32(xid), Buffer.from(body)]);
    // Multipart bodies mostly start with a known multipart type, so the sub-decoders get reached.
    if ((type === 18 || type === 19) && b.length >= 10) b.writeUInt16BE(multipartFlow ? 1 : (body[0]! % 15 === 14 ? 0xffff : body[0]! % 15), 8);
    b.writeUInt16BE(b.length, 2);
    checkMessage(b);
  });
});

test('mutated corpus messages and our own encodings (bit flips, truncations, length rewrites)', { timeout: 600_000 }, () => {
  const arb = fc.tuple(seedArb, fc.array(mutationArb, { minLength: 1, maxLength: 4 }), fc.integer({ min: 0, max: 9 }));
  run('mutated', arb, runsOf('mutated'), ([seed, muts, r]) => checkMessage(mutate(seed, muts, r < 8)));
});

test('generated flow-stats replies: decoder, round trip and lean scan agree', { timeout: 600_000 }, () => {
  run('generated', flowStatsReplyArb, runsOf('generated'), (m) => checkMessage(m));
});

test('framer: any chunking gives the same messages, or the same OfDecodeError', { timeout: 600_000 }, () => {
  const streamArb = fc.array(
    fc.oneof(seedArb, fc.tuple(seedArb, fc.array(mutationArb, { minLength: 1, maxLength: 2 })).map(([s, m]) => mutate(s, m, true))),
    { minLength: 1, maxLength: 6 },
  );
  const arb = fc.tuple(streamArb, fc.array(fc.integer({ min: 1, max: 300 }), { minLength: 1, maxLength: 40 }));
  run('framer', arb, runsOf('framer'), ([msgs, cuts]) => {
    const stream = Buffer.concat(msgs);
    const ref = referenceFraming(stream);
    for (const c of [[stream.length], cuts]) {
      const got = frameAll(stream, c);
      // Messages completed before a bad header are handed over first, so every chunking gives
      // exactly the reference sequence and then the same error.
      const same = got.messages.length === ref.messages.length && got.messages.every((m, i) => m.equals(ref.messages[i]!));
      if (!same || got.error !== ref.error) {
        record('framer output depends on chunking', stream,
          `cuts ${c.join(',')}: ${got.messages.length} messages, error "${got.error}"; expected ${ref.messages.length}, error "${ref.error}"`, '', 'framer');
      }
      for (const m of got.messages) if (m.length !== m.readUInt16BE(2)) record('framer yields a wrong-sized message', stream, m.toString('hex'), '', 'framer-size');
    }
    for (const m of ref.messages) checkMessage(m);
  });
});

/** The framing any chunking must reproduce, computed directly over the whole stream. */
function referenceFraming(stream: Buffer): { messages: Buffer[]; error: string } {
  const messages: Buffer[] = [];
  let p = 0;
  while (stream.length - p >= 8) {
    const len = stream.readUInt16BE(p + 2);
    if (len < 8) return { messages, error: `message length ${len} is below the 8-byte header` };
    if (stream.length - p < len) break;
    messages.push(stream.subarray(p, p + len));
    p += len;
  }
  return { messages, error: '' };
}

function frameAll(stream: Buffer, cuts: number[]): { messages: Buffer[]; error: string } {
  const f = new Framer();
  const messages: Buffer[] = [];
  let pos = 0;
  let i = 0;
  while (pos < stream.length) {
    const n = cuts[i++ % cuts.length]!;
    const chunk = stream.subarray(pos, pos + n);
    pos += n;
    try {
      messages.push(...f.push(chunk));
    } catch (e) {
      if (!(e instanceof OfDecodeError)) record(`framer threw ${(e as Error)?.name}`, stream, String(e), (e as Error)?.stack ?? '');
      return { messages, error: e instanceof OfDecodeError ? e.reason : String(e) };
    }
    if (f.buffered >= 0x10000) record('framer holds more than one partial message', stream, `${f.buffered} bytes buffered`);
  }
  try {
    f.end();
  } catch (e) {
    return { messages, error: e instanceof OfDecodeError ? e.reason : String(e) };
  }
  return { messages, error: '' };
}

after(() => {
  console.log(
    `fuzz: ${casesRun} cases run with seed ${SEED}: ${stats.decoded} messages decoded, ${stats.rejected} rejected with ` +
      `OfDecodeError, slowest decode ${stats.maxMs.toFixed(1)} ms; ${findings.size} distinct finding(s)`,
  );
});

test('no findings', () => {
  assert.ok(casesRun >= Math.min(TOTAL_RUNS, 20_000) * 0.99, `only ${casesRun} cases ran`);
  if (findings.size === 0) return;
  const report = [...findings.values()]
    .map((f) => `- ${f.site} (x${f.count})\n  ${f.detail.split('\n').join('\n  ')}\n  input: ${f.hex}\n  ${f.stack.split('\n').slice(0, 8).join('\n  ')}`)
    .join('\n');
  assert.fail(`fuzzing (seed ${SEED}, reproduce with OFSTATS_FUZZ_SEED=${SEED}) found ${findings.size} problem(s):\n${report}`);
});
