/**
 * One cell of the scale grid: `ofstats replay` serving N switches of F rules from its own
 * process, `ofstats run` (a second process, the one measured) polling every stat type on all
 * of them every I seconds, writing line protocol to /dev/null; bench/scale-probe.ts inside it
 * reports its polls and points.
 *
 * Timeline: all N connected, then one interval of warm-up (first polls are spread over the
 * first interval by design, and the first poll of each rule builds its tags), then the
 * measured window of `intervals` whole intervals.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cpuSeconds, load1, memoryMb, percentile, sleep } from './scale-proc.js';
import { STAT_TYPES } from '../src/scheduler/types.js';

const MAIN = fileURLToPath(new URL('../src/cli/main.js', import.meta.url));
const PROBE = fileURLToPath(new URL('./scale-probe.js', import.meta.url));

export interface Cell {
  switches: number;
  rules: number;
  intervalS: number;
}

export interface CellResult extends Cell {
  windowS: number;
  intervals: number;
  loadBefore: number;
  loadAfter: number;
  cpuS: number;
  cpuPct: number;
  replayCpuPct: number;
  rssMb: number;
  peakMb: number;
  pollsExpected: number;
  pollsOk: number;
  pollsFailed: number;
  /** The scheduler's own counters (what ofstats.polls.skipped / .slowed report), over the window. */
  pollsSkipped: number;
  pollsSlowed: number;
  /** Points the stdout sink could not take (ofstats.points.dropped), over the window. */
  pointsDropped: number;
  p50: number;
  p99: number;
  maxMs: number;
  points: number;
  pointsPerS: number;
  warnings: string[];
}

/** The probe's latest status line (bench/scale-probe.ts), read from fd 3 of ofstats. */
interface Status {
  t: number;
  switches: number;
  points: number;
  dropped: number;
  ok: number;
  failed: number;
  skipped: number;
  slowed: number;
}

function waitFor(cond: () => boolean, timeoutMs: number, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const t0 = Date.now();
    const tick = (): void => {
      if (cond()) return resolve();
      if (Date.now() - t0 > timeoutMs) return reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
      setTimeout(tick, 100);
    };
    tick();
  });
}

function stop(child: ChildProcess, ms = 20_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), ms);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

export interface CellOptions {
  capture: string;
  outDir: string;
  /** Measured intervals after the warm-up one. */
  intervals: number;
  /** Extra node flags for the measured ofstats process (e.g. --cpu-prof). */
  nodeFlags?: string[];
  /** Replay with --advance: counters grow between polls, as on a switch carrying traffic. */
  advance?: boolean;
  log: (s: string) => void;
}

export async function runCell(cell: Cell, o: CellOptions): Promise<CellResult> {
  const name = `${cell.switches}x${cell.rules}`;
  const replay = spawn(process.execPath, [MAIN, 'replay', o.capture, '--listen', '127.0.0.1:0', '--switches', String(cell.switches), ...(o.advance ? ['--advance'] : []), '--log-level', 'warn'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let ofstats: ChildProcess | undefined;
  try {
    let targets = '';
    replay.stdout!.on('data', (c: Buffer) => (targets += c.toString()));
    let replayErr = '';
    replay.stderr!.on('data', (c: Buffer) => (replayErr += c.toString()));
    const connectLines = (): string[] => targets.split('\n').filter((l) => l.startsWith('  - tcp:'));
    await waitFor(() => connectLines().length >= cell.switches || replay.exitCode !== null, 120_000, 'the replayed switches to listen');
    if (replay.exitCode !== null) throw new Error(`ofstats replay exited ${replay.exitCode}: ${replayErr}`);

    // All stat types at the one interval; the global caps raised to fit N switches (the
    // defaults, 50 requests/s, are for a handful of switches).
    const perSecond = Math.ceil((cell.switches * STAT_TYPES.length) / cell.intervalS);
    const config = join(o.outDir, `scale-${name}.yaml`);
    writeFileSync(config, [
      '# written by bench/scale.ts',
      'connect:',
      ...connectLines().map((l) => l.replace(/\s+#.*$/, '')),
      'output: line',
      'logLevel: warn',
      `intervals: { default: ${cell.intervalS} }`,
      `limits: { requestsPerSecond: ${Math.max(50, 4 * perSecond)}, requestsInFlight: 64, requestTimeout: ${cell.intervalS} }`,
      'selfMetricsInterval: 1',
      '',
    ].join('\n'));

    const pollsFile = join(o.outDir, `scale-${name}.polls`);
    writeFileSync(pollsFile, '');
    const warnings: string[] = [];
    let status: Status = { t: 0, switches: 0, points: 0, dropped: 0, ok: 0, failed: 0, skipped: 0, slowed: 0 };
    // stdout to /dev/null: ofstats formats and writes every line, and no slow reader holds it back.
    const devnull = openSync('/dev/null', 'w');
    ofstats = spawn(process.execPath, [...(o.nodeFlags ?? []), '--import', PROBE, MAIN, 'run', '-c', config], {
      stdio: ['ignore', devnull, 'pipe', 'pipe'],
      env: { ...process.env, OFSTATS_BENCH_POLLS: pollsFile },
    });
    closeSync(devnull);
    const child = ofstats;
    let statusCarry = '';
    (child.stdio[3] as NodeJS.ReadableStream).on('data', (c: Buffer) => {
      const lines = (statusCarry + c.toString()).split('\n');
      statusCarry = lines.pop()!;
      if (lines.length > 0) status = JSON.parse(lines[lines.length - 1]!) as Status;
    });
    let errCarry = '';
    child.stderr!.on('data', (c: Buffer) => {
      const lines = (errCarry + c.toString()).split('\n');
      errCarry = lines.pop()!;
      for (const l of lines) if (warnings.length < 50) warnings.push(l);
    });
    const tStart = Date.now();
    await waitFor(() => status.switches >= cell.switches || child.exitCode !== null, 180_000, `${cell.switches} switches to connect`);
    if (child.exitCode !== null) throw new Error(`ofstats run exited ${child.exitCode}: ${warnings.join('\n')}`);
    o.log(`  ${name}: ${cell.switches} switches connected in ${((Date.now() - tStart) / 1000).toFixed(1)} s; warm-up interval of ${cell.intervalS} s`);
    await sleep(cell.intervalS * 1000);

    const snap = () => ({ ...status, at: status.t, t: Date.now(), cpu: cpuSeconds(child.pid!), replayCpu: cpuSeconds(replay.pid!) });
    const loadBefore = load1();
    const a = snap();
    o.log(`  ${name}: measuring ${o.intervals} interval(s) of ${cell.intervalS} s (load average ${loadBefore.toFixed(2)})`);
    await sleep(o.intervals * cell.intervalS * 1000);
    const b = snap();
    const mem = memoryMb(child.pid!);
    const loadAfter = load1();
    await stop(child);

    const rows = readFileSync(pollsFile, 'utf8').trim().split('\n').filter(Boolean).map((l) => l.split(' ').map(Number) as [number, number, number]);
    // Polls that started and finished inside the window (the ones still running at its end are cut by the shutdown).
    const inWindow = rows.filter(([start, ms]) => start >= a.t && start + ms <= b.t);
    const ok = inWindow.filter((r) => r[2] === 1);
    const durations = ok.map((r) => r[1]).sort((x, y) => x - y);
    const windowS = (b.t - a.t) / 1000;
    const cpuS = b.cpu - a.cpu;
    return {
      ...cell,
      windowS,
      intervals: o.intervals,
      loadBefore,
      loadAfter,
      cpuS,
      cpuPct: (100 * cpuS) / windowS,
      replayCpuPct: (100 * (b.replayCpu - a.replayCpu)) / windowS,
      rssMb: mem.rss,
      peakMb: mem.peak,
      pollsExpected: Math.round(cell.switches * STAT_TYPES.length * (windowS / cell.intervalS)),
      pollsOk: ok.length,
      pollsFailed: inWindow.length - ok.length,
      pollsSkipped: b.skipped - a.skipped,
      pollsSlowed: b.slowed - a.slowed,
      pointsDropped: b.dropped - a.dropped,
      p50: percentile(durations, 0.5),
      p99: percentile(durations, 0.99),
      maxMs: durations[durations.length - 1] ?? NaN,
      points: b.points - a.points,
      // Over the probe's own timestamps of the two status lines (a second's granularity).
      pointsPerS: (b.points - a.points) / ((b.at - a.at) / 1000),
      warnings: warnings.filter((w) => !/"msg":"ofstats running"/.test(w)),
    };
  } finally {
    if (ofstats) await stop(ofstats);
    await stop(replay);
  }
}
