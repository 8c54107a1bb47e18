import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, test, type TestContext } from 'node:test';
import { parseJsonBig } from './bigjson.js';

/** Walk up from this compiled file to the folder holding ofstats' package.json. */
function findRepoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && /"name"\s*:\s*"ofstats"/.test(readFileSync(pkg, 'utf8'))) return dir;
    const up = dirname(dir);
    if (up === dir) return process.cwd();
    dir = up;
  }
}

export const REPO_ROOT = findRepoRoot();
export const CORPUS_ROOT = process.env['OFSTATS_CORPUS'] ?? resolve(REPO_ROOT, '../shared/corpus/of13');
export const CORPUS_PRESENT = existsSync(join(CORPUS_ROOT, 'manifest.json'));

export interface ManifestEntry {
  corpus: string;
  file: string;
  nbytes: number;
  version: number;
  type: number;
  length_field: number;
  xid: number;
  whole_message: boolean | null;
  type_name: string | null;
  multipart_type?: number;
  multipart_name?: string;
  multipart_flags?: number;
  expected: string[];
  expected_format: string;
  /** Decode only this many leading bytes (the truncation sample). */
  truncate_to?: number;
  title?: string;
}

export function corpusPath(...parts: string[]): string {
  return join(CORPUS_ROOT, ...parts);
}
export function readCorpus(rel: string): Buffer {
  return readFileSync(corpusPath(rel));
}
export function readCorpusJson(rel: string): unknown {
  return parseJsonBig(readFileSync(corpusPath(rel), 'utf8'));
}
export function manifest(): ManifestEntry[] {
  return readCorpusJson('manifest.json') as ManifestEntry[];
}
export function listCorpus(dir: string, suffix: string): string[] {
  return readdirSync(corpusPath(dir)).filter((f) => f.endsWith(suffix)).sort();
}

/** Pass/fail per corpus for the closing table. */
const tallies = new Map<string, { pass: number; fail: number; absent: number }>();
function tally(corpus: string) {
  let t = tallies.get(corpus);
  if (!t) tallies.set(corpus, (t = { pass: 0, fail: 0, absent: 0 }));
  return t;
}

/** One named test per sample; its outcome also counts toward the corpus's row of the table. */
export function sampleTest(corpus: string, name: string, fn: (t: TestContext) => void | Promise<void>): void {
  tally(corpus);
  test(name, async (t) => {
    try {
      await fn(t);
      tally(corpus).pass++;
    } catch (e) {
      tally(corpus).fail++;
      throw e;
    }
  });
}

/**
 * Register a corpus's cases, or, where the corpus folder is absent, one passing test that
 * says how many were not run and why: the only skip this suite allows, and a visible one.
 */
export function withCorpus(corpus: string, expectedCases: number, register: () => void): void {
  if (!CORPUS_PRESENT) {
    const notice = `conformance corpus not found at ${CORPUS_ROOT} (set OFSTATS_CORPUS): ${corpus} cases not run`;
    tally(corpus).absent += expectedCases;
    test(`corpus absent: skipped ${expectedCases} cases (${corpus})`, (t) => {
      t.diagnostic(notice);
      console.log(`NOTICE: ${notice}`);
    });
    return;
  }
  register();
}

/**
 * Each test file runs in its own process, so each writes its rows to a fragment and the
 * table is rebuilt from every fragment present: the last file to finish prints it whole.
 */
export function reportTableAfter(file: string): void {
  after(() => {
    const dir = join(REPO_ROOT, 'dist-conformance-table.d');
    mkdirSync(dir, { recursive: true });
    const rows = Object.fromEntries(tallies);
    const tmp = join(dir, `.${file}.${process.pid}`);
    writeFileSync(tmp, JSON.stringify(rows));
    renameSync(tmp, join(dir, `${file}.json`));
    const all = new Map<string, { pass: number; fail: number; absent: number }>();
    for (const f of readdirSync(dir).filter((n) => n.endsWith('.json')).sort()) {
      const part = JSON.parse(readFileSync(join(dir, f), 'utf8')) as Record<string, { pass: number; fail: number; absent: number }>;
      for (const [k, v] of Object.entries(part)) all.set(k, v);
    }
    const table = renderTable(all);
    writeFileSync(join(REPO_ROOT, 'dist-conformance-table.txt'), table);
    console.log(`\n${table}`);
  });
}

function renderTable(rows: Map<string, { pass: number; fail: number; absent: number }>): string {
  const head = ['corpus', 'cases', 'pass', 'fail', 'not run (corpus absent)'];
  const body = [...rows.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [
    k, String(v.pass + v.fail + v.absent), String(v.pass), String(v.fail), String(v.absent),
  ]);
  const total = body.reduce((s, r) => s.map((x, i) => (i === 0 ? x : String(Number(x) + Number(r[i])))), ['total', '0', '0', '0', '0']);
  const lines = [head, ...body, total];
  const w = head.map((_, i) => Math.max(...lines.map((l) => l[i]!.length)));
  const fmt = (l: string[]) => `| ${l.map((c, i) => (i === 0 ? c.padEnd(w[i]!) : c.padStart(w[i]!))).join(' | ')} |`;
  return [fmt(head), `|${w.map((n, i) => (i === 0 ? ':' : '') + '-'.repeat(n + 1) + (i === 0 ? '' : ':')).join('|')}|`, ...body.map(fmt), fmt(total)].join('\n') + '\n';
}
