/** Runs the built `ofstats replay` and `ofstats run` as child processes for the replay tests. */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';

export const CLI = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));

export interface ReplayProcess {
  /** tcp:HOST:PORT per switch, from the config snippet on stdout (listen mode). */
  targets: string[];
  stderr(): string;
  stop(): Promise<void>;
}

/** Start `ofstats replay ARGS` and wait until it says it is running. */
export async function startReplay(args: string[]): Promise<ReplayProcess> {
  const child: ChildProcess = spawn(process.execPath, [CLI, 'replay', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  let exited = false;
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (err += d));
  const closed = new Promise<void>((resolve) => child.once('close', () => {
    exited = true;
    resolve();
  }));
  const until = Date.now() + 15_000;
  while (!/"msg":"replay running"/.test(err)) {
    if (exited || Date.now() > until) {
      child.kill('SIGKILL');
      throw new Error(`ofstats replay did not start (exit: ${exited}):\n${err}`);
    }
    await sleep(20);
  }
  const targets = [...out.matchAll(/^ {2}- (\S+)/gm)].map((m) => m[1]!);
  return {
    targets,
    stderr: () => err,
    async stop() {
      if (!exited) child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 3_000);
      await closed;
      clearTimeout(t);
    },
  };
}

export interface RunOut {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** `ofstats run ARGS` to completion. */
export function runOfstats(args: string[]): Promise<RunOut> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, 'run', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const guard = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.once('error', reject);
    child.once('close', (status) => {
      clearTimeout(guard);
      resolve({ status, stdout, stderr });
    });
  });
}

export interface JsonPoint {
  metric: string;
  tags: Record<string, string>;
  value: string;
  timestamp: number;
}

/** Points of `--output json`, without ofstats' own metrics (timings differ run to run). */
export function switchPoints(stdout: string): JsonPoint[] {
  return stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as JsonPoint).filter((p) => !p.metric.startsWith('ofstats.'));
}

/** A point as a comparable line: metric, sorted tags, value (timestamp aside). */
export function pointKey(p: JsonPoint): string {
  const tags = Object.entries(p.tags).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => `${k}=${v}`).join(',');
  return `${p.metric} ${tags} ${p.value}`;
}
