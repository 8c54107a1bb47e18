/**
 * The layout is the architecture (docs/architecture.md): data flows one way, and each folder
 * imports only from the folders before it. This test reads every source file's imports and
 * fails on an import against the flow, so the picture cannot silently rot.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

/** Folder → the folders it may import from (besides itself and node/npm packages). */
const ALLOWED: Record<string, readonly string[]> = {
  protocol: [],
  'src/transport': ['protocol'],
  'src/connection': ['protocol', 'src/transport'],
  'src/scheduler': ['protocol', 'src/connection'],
  'src/registry': [],
  'src/metrics': ['protocol', 'src/scheduler', 'src/registry'],
  'src/self': ['src/metrics'],
  'src/sinks': ['src/metrics', 'src/transport'],
  'src/capture': ['protocol'],
  'src/offline': ['protocol', 'src/capture', 'src/scheduler', 'src/registry', 'src/metrics', 'src/sinks'],
  'src/replay': ['protocol', 'src/transport', 'src/capture'],
  'src/config': ['protocol', 'src/transport', 'src/connection', 'src/scheduler', 'src/registry', 'src/metrics', 'src/sinks', 'src/self'],
};
/** The command line sits on top and may use everything. */
const TOP = ['src/cli', 'src/log.ts'];

function layerOf(file: string): string | undefined {
  return Object.keys(ALLOWED).find((l) => file === l || file.startsWith(l + '/'));
}

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...sources(p));
    else if (name.endsWith('.ts') && !name.endsWith('.test.ts') && !name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

// Test-support modules inside protocol/ (corpus drivers) may reach into test/.
const TEST_SUPPORT = /corpus-support\.ts$/;

test('every import follows the data flow: socket → framer → codec → connection → scheduler → metrics → sinks', () => {
  const bad: string[] = [];
  for (const file of [...sources(join(ROOT, 'protocol')), ...sources(join(ROOT, 'src'))]) {
    const rel = relative(ROOT, file);
    if (TOP.some((t) => rel === t || rel.startsWith(t + '/')) || TEST_SUPPORT.test(rel)) continue;
    const layer = layerOf(rel);
    if (!layer) {
      bad.push(`${rel}: in no layer of docs/architecture.md`);
      continue;
    }
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/(?:import|export)[^'";]*?from\s+'(\.[^']+)'/g)) {
      const target = relative(ROOT, resolve(dirname(file), m[1]!)).replace(/\.js$/, '.ts');
      const to = layerOf(target) ?? target;
      if (to === layer || ALLOWED[layer]!.includes(to)) continue;
      bad.push(`${rel} imports ${target} (${layer} may import only ${ALLOWED[layer]!.join(', ') || 'nothing of ours'})`);
    }
  }
  assert.deepEqual(bad, []);
});

test('the codec has no sockets, timers or file I/O', () => {
  const bad: string[] = [];
  for (const file of sources(join(ROOT, 'protocol'))) {
    if (TEST_SUPPORT.test(file)) continue;
    const text = readFileSync(file, 'utf8');
    for (const re of [/from 'node:(net|tls|fs|dgram|child_process|http|https|timers)/, /\bset(Timeout|Interval|Immediate)\(/, /\bprocess\./]) {
      if (re.test(text)) bad.push(`${relative(ROOT, file)}: ${re.source}`);
    }
  }
  assert.deepEqual(bad, []);
});

test('the runtime has no byte offsets: outside src/capture, src/ reads OpenFlow fields through protocol/raw.ts', () => {
  // src/capture parses pcap, pcapng and TCP/IP headers: byte offsets are its job. Everything
  // else gets message fields from the codec (decodeMessage, or protocol/raw.ts's peekHeader,
  // multipartTypeOf, datapathIdOf, withXid...), so a layout lives in one place.
  const call = /\.(read|write)(Big)?U?Int(8|16|32|64)?(BE|LE)?\(/;
  const bad: string[] = [];
  for (const file of sources(join(ROOT, 'src'))) {
    const rel = relative(ROOT, file);
    if (rel.startsWith('src/capture/')) continue;
    readFileSync(file, 'utf8').split('\n').forEach((line, i) => {
      if (call.test(line)) bad.push(`${rel}:${i + 1}: ${line.trim()}`);
    });
  }
  assert.deepEqual(bad, []);
});
