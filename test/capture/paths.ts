/** Paths the capture and CLI tests share, resolved from the compiled file so any cwd works. */
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { dirname, resolve } from 'node:path';
import { CORPUS_PRESENT, CORPUS_ROOT } from '../conformance/corpus.js';

const here = dirname(fileURLToPath(import.meta.url));
/** <outDir>/test/capture → the repository root. */
export const REPO_ROOT = resolve(here, '../../..');
/** The CLI as built into the same output dir as this test. */
export const CLI = resolve(here, '../../src/cli/main.js');
export const CORPUS = CORPUS_ROOT;
export const HAVE_CORPUS = CORPUS_PRESENT;

export interface DecodeRun {
  status: number | null;
  stdout: string;
  stderr: string;
  /** stdout parsed, one object per line. */
  lines: Record<string, unknown>[];
}

function parsed(status: number | null, stdout: string, stderr: string): DecodeRun {
  const lines = stdout.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Record<string, unknown>);
  return { status, stdout, stderr, lines };
}

/** Run `ofstats decode ARGS...` (the built binary) from an unrelated cwd. */
export function runDecode(args: string[], input?: Buffer): DecodeRun {
  const r = spawnSync(process.execPath, [CLI, 'decode', ...args], { cwd: '/', input, maxBuffer: 1 << 30, encoding: 'utf8' });
  return parsed(r.status, r.stdout ?? '', r.stderr ?? '');
}

/** runDecode without blocking, so a test can run tshark meanwhile. */
export function runDecodeAsync(args: string[]): Promise<DecodeRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, 'decode', ...args], { cwd: '/', stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => err.push(d));
    child.once('error', reject);
    child.once('close', (code) => resolve(parsed(code, Buffer.concat(out).toString('utf8'), Buffer.concat(err).toString('utf8'))));
  });
}
