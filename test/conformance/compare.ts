import { AssertionError } from 'node:assert';
import { toJson } from '../../protocol/json.js';
import { Expect } from './expect.js';

/** Rows of 16 bytes side by side, differing rows marked, for a failed byte comparison. */
export function hexDiff(actual: Uint8Array, expected: Uint8Array): string {
  const a = Buffer.from(actual);
  const e = Buffer.from(expected);
  let first = -1;
  for (let i = 0; i < Math.max(a.length, e.length); i++) if (a[i] !== e[i]) { first = i; break; }
  if (first < 0) return 'identical';
  const row = (b: Buffer, off: number) => {
    const cells: string[] = [];
    for (let i = off; i < off + 16; i++) cells.push(i < b.length ? b[i]!.toString(16).padStart(2, '0') : '  ');
    return cells.join(' ');
  };
  const lines = [`first difference at byte ${first} (actual ${a.length} bytes, expected ${e.length} bytes)`,
    `   offset  ${'actual'.padEnd(47)}   expected`];
  for (let off = 0; off < Math.max(a.length, e.length); off += 16) {
    const ra = row(a, off);
    const re = row(e, off);
    lines.push(`${ra === re ? ' ' : '!'} ${off.toString(16).padStart(6, '0')}  ${ra}   ${re}`);
  }
  return lines.join('\n');
}

export function assertBytesEqual(actual: Uint8Array, expected: Uint8Array, what: string): void {
  if (Buffer.compare(Buffer.from(actual), Buffer.from(expected)) !== 0) {
    throw new AssertionError({ message: `${what}: bytes differ\n${hexDiff(actual, expected)}` });
  }
}

/** Fields OpenFlow defines as 64-bit: they must arrive as bigint whatever their value. */
export const U64_FIELDS = new Set([
  'cookie', 'cookie_mask', 'packet_count', 'byte_count', 'datapath_id', 'generation_id',
  'metadata_match', 'metadata_write', 'lookup_count', 'matched_count', 'packet_in_count',
  'byte_in_count', 'packet_band_count', 'byte_band_count', 'rx_packets', 'tx_packets',
  'rx_bytes', 'tx_bytes', 'rx_dropped', 'tx_dropped', 'rx_errors', 'tx_errors',
  'rx_frame_err', 'rx_over_err', 'rx_crc_err', 'collisions',
]);

export interface CompareOptions {
  /** Keys our decoder may add that the reference does not print (derived names, say). */
  ignoreExtra?: (key: string) => boolean;
}

const isBytes = (v: unknown): v is Uint8Array => v instanceof Uint8Array;
const isInt = (v: unknown): v is number | bigint => typeof v === 'bigint' || (typeof v === 'number' && Number.isInteger(v));

/**
 * Every difference between a decoded value and a reference-derived expectation, each with
 * its path. Integers compare by value (number vs bigint) and bytes as hex; U64 fields must
 * also be bigint in the decoded value.
 */
export function diffValues(actual: unknown, expected: unknown, opts: CompareOptions = {}, path = '$'): string[] {
  if (expected instanceof Expect) return expected.test(actual) ? [] : [`${path}: expected ${expected.describe}, got ${show(actual)}`];
  if (isBytes(actual)) actual = Buffer.from(actual).toString('hex');
  if (isBytes(expected)) expected = Buffer.from(expected).toString('hex');
  if (isInt(expected)) {
    if (!isInt(actual)) return [`${path}: expected ${expected}, got ${show(actual)}`];
    if (BigInt(actual) !== BigInt(expected)) return [`${path}: expected ${expected}, got ${actual}`];
    const key = path.slice(path.lastIndexOf('.') + 1);
    if (U64_FIELDS.has(key) && typeof actual !== 'bigint') return [`${path}: 64-bit field decoded as number, not bigint`];
    return [];
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return [`${path}: expected a list of ${expected.length}, got ${show(actual)}`];
    const out: string[] = [];
    if (actual.length !== expected.length) out.push(`${path}: expected ${expected.length} items, got ${actual.length}`);
    for (let i = 0; i < Math.min(actual.length, expected.length); i++) out.push(...diffValues(actual[i], expected[i], opts, `${path}[${i}]`));
    return out;
  }
  if (expected !== null && typeof expected === 'object') {
    if (actual === null || typeof actual !== 'object' || Array.isArray(actual)) return [`${path}: expected an object, got ${show(actual)}`];
    const a = actual as Record<string, unknown>;
    const e = expected as Record<string, unknown>;
    const out: string[] = [];
    for (const k of Object.keys(e)) {
      if (!(k in a)) out.push(`${path}.${k}: missing (expected ${show(e[k])})`);
      else out.push(...diffValues(a[k], e[k], opts, `${path}.${k}`));
    }
    for (const k of Object.keys(a)) {
      if (!(k in e) && a[k] !== undefined && !(opts.ignoreExtra?.(k) ?? false)) out.push(`${path}.${k}: unexpected field (${show(a[k])})`);
    }
    return out;
  }
  if (actual !== expected) return [`${path}: expected ${show(expected)}, got ${show(actual)}`];
  return [];
}

function show(v: unknown): string {
  return clip(toJson(v) ?? String(v), 120);
}

function clip(s: string, n: number): string {
  return s.length > n ? `${s.slice(0, n - 3)}...` : s;
}


export function assertMatches(actual: unknown, expected: unknown, opts: CompareOptions = {}): void {
  const diffs = diffValues(actual, expected, opts);
  if (diffs.length > 0) {
    throw new AssertionError({
      message: `${diffs.length} difference(s):\n  ${diffs.slice(0, 40).join('\n  ')}\n--- decoded:\n${clip(toJson(actual, 1), 3000)}\n--- expected:\n${clip(toJson(expected, 1), 3000)}`,
    });
  }
}

/** Derived, human-readable names our decoder adds beside the numbers the references print. */
export const ignoreNames = (k: string): boolean => k.endsWith('_name');
