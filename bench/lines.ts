/**
 * `npm run bench:lines`: line protocol for one 100,000-rule poll (300,000 points, ~170-byte
 * ASCII tag texts) written as bytes from a PointBatch (LineWriter), next to the old path
 * measured in the same run: a Point with a bigint per point, toLine(), the lines appended to
 * one string and encoded as the stream would. Both outputs are compared byte for byte.
 *
 *   node dist/bench/lines.js [--points N] [--rounds R]
 */
import { PointBatch } from '../src/metrics/point-batch.js';
import type { Point } from '../src/metrics/types.js';
import { toLine } from '../src/sinks/line-protocol.js';
import { chunkBytes, LineWriter } from '../src/sinks/line-writer.js';

function arg(name: string, dflt: number): number {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
}

const POINTS = arg('--points', 300_000);
const ROUNDS = arg('--rounds', 7);
const T = 1_700_000_000_123;

/** A flow rule's tag text as the engine makes it: sorted, escaped, ~170 bytes. */
function tagText(rule: number): string {
  const sw = (rule % 1000).toString(16).padStart(16, '0');
  const cookie = (0x4000_0000 + rule).toString(16).padStart(16, '0');
  return `,cookie=0x${cookie},direction=${rule % 2 ? 'forward' : 'reverse'},flowid=flow-${rule.toString(36)}-a1b2c3d4-e5f6,inPort=${rule % 48}` +
    `,is_y_flow_subflow=false,outPort=${(rule + 7) % 48},switchid=SW${sw},tableid=0,type=flow`;
}

function makeBatch(): PointBatch {
  const b = new PointBatch(T, POINTS);
  const names = ['flow.raw.packets', 'flow.raw.bytes', 'flow.raw.bits'];
  let seed = 12345;
  const rnd = () => (seed = (seed * 1103515245 + 12345) >>> 0);
  for (let i = 0; i < POINTS; i++) {
    const rule = Math.floor(i / 3);
    const text = tagTexts[rule] ??= tagText(rule);
    const m = i % 3;
    // packets < 2^32, bytes up to ~2^40, bits = bytes * 8 up to ~2^43.
    const hi = m === 0 ? 0 : rnd() & (m === 1 ? 0xff : 0x7ff);
    b.add(names[m]!, text, hi, rnd());
  }
  return b;
}
const tagTexts: string[] = [];
const NO_TAGS = {};

function oldPath(points: readonly Point[]): Buffer {
  let s = '';
  for (const p of points) {
    const line = toLine(p);
    if (line !== undefined) s += line + '\n';
  }
  return Buffer.from(s, 'utf8');
}

/** As a sink does it: the lines as chunks, handed on, then released (reused next time). */
function newPath(batch: PointBatch, w: LineWriter, keep: boolean): Buffer {
  w.append(batch);
  const chunks = w.take();
  const out = keep ? Buffer.concat(chunks.map((c) => chunkBytes(c))) : EMPTY;
  for (const c of chunks) w.release(c);
  return out;
}
const EMPTY = Buffer.alloc(0);

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1]!;
}

const batch = makeBatch();
const tagBytes = tagTexts.reduce((n, t) => n + t.length, 0) / tagTexts.length;

function timed<T>(f: () => T): [T, number] {
  const t = process.hrtime.bigint();
  const r = f();
  return [r, Number(process.hrtime.bigint() - t) / batch.length];
}

// The old path first, all its rounds, then the new one: neither pays for the other's garbage.
const oldNs: number[] = [];
const makingNs: number[] = [];
let old: Buffer = EMPTY;
for (let r = 0; r < ROUNDS; r++) {
  // Points as the old engine made them: a bigint and the series' shared tag text (its tags
  // object was shared too, so one object stands for all here).
  const [fresh, making] = timed(() => {
    const out = new Array<Point>(batch.length);
    for (let i = 0; i < batch.length; i++) out[i] = { metric: batch.metrics[i]!, tags: NO_TAGS, value: batch.value(i), timestamp: T, tagText: batch.tagTexts[i]! };
    return out;
  });
  const [bytes, took] = timed(() => oldPath(fresh));
  makingNs.push(making);
  oldNs.push(took);
  old = bytes;
}
const writer = new LineWriter();
const newNs: number[] = [];
let now: Buffer = EMPTY;
for (let r = 0; r < ROUNDS; r++) newNs.push(timed(() => newPath(batch, writer, false))[1]);
now = newPath(batch, writer, true);
// Without reuse: every buffer new, as for a consumer that never releases.
const freshNs: number[] = [];
for (let r = 0; r < ROUNDS; r++) freshNs.push(timed(() => newPath(batch, new LineWriter({ maxSpareBytes: 0 }), false))[1]);
if (!old.equals(now)) throw new Error('LineWriter output differs from toLine');
// The same text, but no two points sharing one tag text string (each line encodes its own).
const apart = new PointBatch(T, batch.length);
for (let i = 0; i < batch.length; i++) apart.add(batch.metrics[i]!, (' ' + batch.tagTexts[i]!).slice(1), batch.hi[i]!, batch.lo[i]!);
const apartNs: number[] = [];
for (let r = 0; r < ROUNDS; r++) apartNs.push(timed(() => newPath(apart, writer, false))[1]);
if (!newPath(apart, writer, true).equals(old)) throw new Error('LineWriter output differs from toLine');

const o = median(oldNs);
const op = o + median(makingNs);
const n = median(newNs);
console.log(`line protocol, ${batch.length} points, tag text ${tagBytes.toFixed(0)} bytes, ${now.length} bytes out, median of ${ROUNDS} rounds (node ${process.version})`);
console.log(`  old  Point + toLine + string + encode   ${op.toFixed(1)} ns/line  (toLine + string + encode alone ${o.toFixed(1)})`);
console.log(`  new  PointBatch -> LineWriter bytes     ${n.toFixed(1)} ns/line  (buffers never reused: ${median(freshNs).toFixed(1)}; no tag text shared between a rule's points: ${median(apartNs).toFixed(1)})`);
console.log(`  ratio old/new ${(op / n).toFixed(2)}x (${(o / n).toFixed(2)}x without making Points); outputs identical`);
