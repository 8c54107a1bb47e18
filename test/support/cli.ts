/**
 * The built CLI as a user runs it: a child process of the same output dir's
 * src/cli/main.js. Every child is killed when the test process exits, so a failed or
 * timed-out test leaves no ofstats behind.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { waitFor } from './wait.js';
import { atExit } from './cleanup.js';

/** <outDir>/src/cli/main.js, beside the compiled tests. */
export const CLI = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));

export interface CliRun {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

const live = new Set<ChildProcess>();
atExit(() => {
  for (const c of live) c.kill('SIGKILL');
});

function track(child: ChildProcess): ChildProcess {
  live.add(child);
  child.once('exit', () => live.delete(child));
  return child;
}

export interface RunOptions {
  cwd?: string;
  /** SIGKILL after this long (default 30 s): a hung CLI fails its test instead of the suite. */
  timeoutMs?: number;
  /** Send `signal` (default SIGTERM) after this long: for commands that run until stopped. */
  stopAfterMs?: number;
  signal?: NodeJS.Signals;
}

/** `ofstats ARGS...` to completion. */
export function runCli(args: string[], opts: RunOptions = {}): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = track(spawn(process.execPath, [CLI, ...args], { cwd: opts.cwd, stdio: ['ignore', 'pipe', 'pipe'] }));
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout!.on('data', (d: Buffer) => out.push(d));
    child.stderr!.on('data', (d: Buffer) => err.push(d));
    const guard = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 30_000);
    const stop = opts.stopAfterMs === undefined ? undefined : setTimeout(() => child.kill(opts.signal ?? 'SIGTERM'), opts.stopAfterMs);
    child.once('error', reject);
    child.once('close', (status, signal) => {
      clearTimeout(guard);
      clearTimeout(stop);
      resolve({ status, signal, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') });
    });
  });
}

/** `ofstats ARGS...` blocking, for commands that end by themselves quickly. */
export function runCliSync(args: string[], opts: { cwd?: string; input?: string | Buffer; timeoutMs?: number } = {}): CliRun {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    cwd: opts.cwd, input: opts.input, encoding: 'utf8', maxBuffer: 1 << 30, timeout: opts.timeoutMs ?? 30_000,
  });
  return { status: r.status, signal: r.signal, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

export interface RunningCli {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** SIGTERM (SIGKILL after 3 s) and wait for the exit. */
  stop(): Promise<CliRun>;
}

/** A long-running `ofstats ARGS...`, once its stderr matches `ready` (it died or timed out: throws with its stderr). */
export async function startCli(args: string[], ready: RegExp, timeoutMs = 15_000): Promise<RunningCli> {
  const child = track(spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] }));
  let out = '';
  let err = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (err += d));
  const closed = new Promise<CliRun>((resolve) => child.once('close', (status, signal) => resolve({ status, signal, stdout: out, stderr: err })));
  let exited = false;
  void closed.then(() => (exited = true));
  try {
    await waitFor(`ofstats ${args[0]} to say ${ready}`, () => {
      if (exited) throw new Error(`ofstats ${args.join(' ')} exited before it was ready:\n${err}`);
      return ready.test(err);
    }, timeoutMs, 20);
  } catch (e) {
    child.kill('SIGKILL');
    await closed;
    throw e instanceof Error && !e.message.includes(err) ? new Error(`${e.message}\n${err}`) : e;
  }
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    async stop() {
      if (!exited) child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 3_000);
      const r = await closed;
      clearTimeout(t);
      return r;
    },
  };
}

export interface JsonPoint {
  metric: string;
  tags: Record<string, string>;
  value: string;
  timestamp: number;
}

/** The points of `--output json`, one per line. */
export function jsonPoints(stdout: string): JsonPoint[] {
  return stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as JsonPoint);
}
