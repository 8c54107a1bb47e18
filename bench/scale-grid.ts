/**
 * One cell of the scale grid: `ofstats replay` serving N switches of F rules from its own
 * process, `ofstats run` (a second process, the one measured) polling every stat type on all
 * of them every I seconds, printing line protocol into a pipe this process counts.
 *
 * Timeline: all N connected, then one interval of warm-up (first polls are spread over the
 * first interval by design, and the first poll of each rule builds its tags), then the
 * measured window of `intervals` whole intervals.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
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
  /** From ofstats.polls.skipped / .slowed (self metrics), over the window. */
  pollsSkipped: number;
  pollsSlowed: number;
  /** ofstats.points.dropped over the window: points the stdout sink could not take. */
  pointsDropped: number;
  p50: number;
  p99: number;
  maxMs: number;
  points: number;
  pointsPerS: number;
  warnings: string[];
}

/** Counts stdout lines cheaply and keeps the latest value of each `ofstats.*` self metric. */
class OutputCounter {
  points = 0;
  readonly self = new Map<string, number>();
  private carry = Buffer.alloc(0);

  push(chunk: Buffer): void {
    const buf = this.carry.length ? Buffer.concat([this.carry, chunk]) : chunk;
    let start = 0;
    for (let nl = buf.indexOf(10, start); nl !== -1; nl = buf.indexOf(10, start)) {
      // Self metrics are the only lines starting with "ofstats." (no metric prefix is set).
      if (buf[start] === 0x6f && buf.toString('latin1', start, start + 8) === 'ofstats.') this.selfLine(buf.toString('latin1', start, nl));
      else this.points++;
      start = nl + 1;
    }
    this.carry = Buffer.from(buf.subarray(start));
  }

  private selfLine(line: string): void {
    const m = /^(ofstats\.[^ ,]+)(,\S*)? value=(-?\d+)i/.exec(line);
    if (m && m[2] === undefined) this.self.set(m[1]!, Number(m[3]));
  }

  get(name: string): number {
    return this.self.get(`ofstats.${name}`) ?? 0;
  }
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
  log: (s: string) => void;
}

export async function runCell(cell: Cell, o: CellOptions): Promise<CellResult> {
  const name = `${cell.switches}x${cell.rules}`;
  const replay = spawn(process.execPath, [MAIN, 'replay', o.capture, '--listen', '127.0.0.1:0', '--switches', String(cell.switches), '--log-level', 'warn'], {
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
    const counter = new OutputCounter();
    const warnings: string[] = [];
    ofstats = spawn(process.execPath, [...(o.nodeFlags ?? []), '--import', PROBE, MAIN, 'run', '-c', config], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, OFSTATS_BENCH_POLLS: pollsFile },
    });
    const child = ofstats;
    child.stdout!.on('data', (c: Buffer) => counter.push(c));
    let errCarry = '';
    child.stderr!.on('data', (c: Buffer) => {
      const lines = (errCarry + c.toString()).split('\n');
      errCarry = lines.pop()!;
      for (const l of lines) if (warnings.length < 50) warnings.push(l);
    });
    const tStart = Date.now();
    await waitFor(() => counter.get('switches.connected') >= cell.switches || child.exitCode !== null, 180_000, `${cell.switches} switches to connect`);
    if (child.exitCode !== null) throw new Error(`ofstats run exited ${child.exitCode}: ${warnings.join('\n')}`);
    o.log(`  ${name}: ${cell.switches} switches connected in ${((Date.now() - tStart) / 1000).toFixed(1)} s; warm-up interval of ${cell.intervalS} s`);
    await sleep(cell.intervalS * 1000);

    const snap = () => ({
      t: Date.now(), cpu: cpuSeconds(child.pid!), replayCpu: cpuSeconds(replay.pid!), points: counter.points,
      skipped: counter.get('polls.skipped'), slowed: counter.get('polls.slowed'), dropped: counter.get('points.dropped'),
    });
    const loadBefore = load1();
    const a = snap();
    o.log(`  ${name}: measuring ${o.intervals} interval(s) of ${cell.intervalS} s (load average ${loadBefore.toFixed(2)})`);
    await sleep(o.intervals * cell.intervalS * 1000);
    // The self metrics are written every second: let the last second's counters arrive.
    const b = snap();
    const mem = memoryMb(child.pid!);
    const loadAfter = load1();
    await sleep(1100);
    const skipped = counter.get('polls.skipped') - a.skipped;
    const slowed = counter.get('polls.slowed') - a.slowed;
    const dropped = counter.get('points.dropped') - a.dropped;
    await stop(child);

    const rows = readFileSync(pollsFile, 'utf8').trim().split('\n').filter(Boolean).map((l) => l.split(' ').map(Number) as [number, number, number]);
    const inWindow = rows.filter(([start]) => start >= a.t && start < b.t);
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
      pollsSkipped: skipped,
      pollsSlowed: slowed,
      pointsDropped: dropped,
      p50: percentile(durations, 0.5),
      p99: percentile(durations, 0.99),
      maxMs: durations[durations.length - 1] ?? NaN,
      points: b.points - a.points,
      pointsPerS: (b.points - a.points) / windowS,
      warnings: warnings.filter((w) => !/"msg":"ofstats running"/.test(w)),
    };
  } finally {
    if (ofstats) await stop(ofstats);
    await stop(replay);
  }
}
