/** Paths the capture and CLI tests share, resolved from the compiled file so any cwd works. */
import { fileURLToPath } from 'node:url';
import { dirname, resolve } from 'node:path';
import { CORPUS_PRESENT, CORPUS_ROOT } from '../conformance/corpus.js';
import { runCli, runCliSync } from '../support/cli.js';

export { CLI } from '../support/cli.js';

const here = dirname(fileURLToPath(import.meta.url));
/** <outDir>/test/capture → the repository root. */
export const REPO_ROOT = resolve(here, '../../..');
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
  const r = runCliSync(['decode', ...args], { cwd: '/', input, timeoutMs: 120_000 });
  return parsed(r.status, r.stdout, r.stderr);
}

/** runDecode without blocking, so a test can run tshark meanwhile. */
export async function runDecodeAsync(args: string[]): Promise<DecodeRun> {
  const r = await runCli(['decode', ...args], { cwd: '/', timeoutMs: 120_000 });
  return parsed(r.status, r.stdout, r.stderr);
}
