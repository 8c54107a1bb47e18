/** `ofstats replay` and `ofstats run` as child processes for the replay tests (test/support/cli.ts). */
import { jsonPoints, runCli, startCli, type CliRun, type JsonPoint } from '../support/cli.js';

export { CLI, type JsonPoint } from '../support/cli.js';

export interface ReplayProcess {
  /** tcp:HOST:PORT per switch, from the config snippet on stdout (listen mode). */
  targets: string[];
  stderr(): string;
  stop(): Promise<void>;
}

/** Start `ofstats replay ARGS` and wait until it says it is running. */
export async function startReplay(args: string[]): Promise<ReplayProcess> {
  const r = await startCli(['replay', ...args], /"msg":"replay running"/);
  return {
    targets: [...r.stdout().matchAll(/^ {2}- (\S+)/gm)].map((m) => m[1]!),
    stderr: r.stderr,
    async stop() {
      await r.stop();
    },
  };
}

/** `ofstats run ARGS` to completion. */
export function runOfstats(args: string[]): Promise<CliRun> {
  return runCli(['run', ...args]);
}

/** Points of `--output json`, without ofstats' own metrics (timings differ run to run). */
export function switchPoints(stdout: string): JsonPoint[] {
  return jsonPoints(stdout).filter((p) => !p.metric.startsWith('ofstats.'));
}

/** A point as a comparable line: metric, sorted tags, value (timestamp aside). */
export function pointKey(p: JsonPoint): string {
  const tags = Object.entries(p.tags).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => `${k}=${v}`).join(',');
  return `${p.metric} ${tags} ${p.value}`;
}
