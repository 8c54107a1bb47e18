/**
 * `npm run bench:scale`: how far one ofstats process goes. Prints results; asserts nothing.
 *
 *   node dist/bench/scale.js [--quick] [--only grid|e2e] [--cells 100x1000@10,...] [--profile]
 *                            [--node-flags "--max-old-space-size=1024"] [--e2e-rules 100000]
 *                            [--static-counters] [--intervals N]
 *
 * 1. The grid: ofstats (`ofstats run`, its own process) polling N switches of F rules served
 *    by `ofstats replay` (another process) from a recording of a real Open vSwitch, every
 *    stat type every I seconds: ofstats' CPU and memory, polls, latency, points out.
 *    Then a projection to 10,000 switches, arithmetic shown.
 * 2. End to end: one full flow-stats poll of a real Open vSwitch with 100,000 rules, ofstats'
 *    CPU against ovs-vswitchd's and `ovs-ofctl dump-flows`.
 *
 * The replayed switches' counters grow between polls (`ofstats replay --advance`), as on a
 * switch carrying traffic: a poller that keeps last values must handle new ones every poll.
 * --static-counters replays the recorded values unchanged.
 * --quick measures one interval per cell instead of three (each cell still has its warm-up
 * interval). --profile runs the measured ofstats with `node --cpu-prof` (bench/out/profiles).
 * Figures are only comparable on an otherwise idle machine: the load average is printed.
 */
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { scaleCapture } from './scale-capture.js';
import { runCell, type Cell, type CellResult } from './scale-grid.js';
import { runE2e, type E2eResult, type PollCost } from './scale-e2e.js';
import { fmt, load1, loadText, machine } from './scale-proc.js';
import { STAT_TYPES } from '../src/scheduler/types.js';
import { BENCH_OUT } from './out-dir.js';

interface Args {
  quick: boolean;
  only?: 'grid' | 'e2e';
  cells: Cell[];
  profile: boolean;
  e2eRules: number;
  /** Extra node flags for the measured ofstats process, e.g. "--max-old-space-size=1024". */
  nodeFlags: string[];
  /** Measured intervals per cell (--intervals N; default 3, 1 with --quick): a long run shows the heap between major collections. */
  intervals?: number;
  /** Counters that move between polls (replay --advance); --static-counters turns it off. */
  advance: boolean;
}

const DEFAULT_CELLS: Cell[] = [
  { switches: 100, rules: 1_000, intervalS: 10 },
  { switches: 1_000, rules: 1_000, intervalS: 30 },
  { switches: 100, rules: 10_000, intervalS: 30 },
];

function parseArgs(argv: string[]): Args {
  const a: Args = { quick: false, cells: DEFAULT_CELLS, profile: false, e2eRules: 100_000, nodeFlags: [], advance: true };
  for (let i = 0; i < argv.length; i++) {
    const v = argv[i];
    if (v === '--quick') a.quick = true;
    else if (v === '--profile') a.profile = true;
    else if (v === '--only') a.only = argv[++i] as Args['only'];
    else if (v === '--e2e-rules') a.e2eRules = Number(argv[++i]);
    else if (v === '--static-counters') a.advance = false;
    else if (v === '--intervals') a.intervals = Math.max(1, Number(argv[++i]));
    else if (v === '--node-flags') a.nodeFlags = argv[++i]!.split(' ').filter(Boolean);
    else if (v === '--cells') {
      a.cells = argv[++i]!.split(',').map((c) => {
        const m = /^(\d+)x(\d+)@(\d+(?:\.\d+)?)$/.exec(c);
        if (!m) throw new Error(`--cells: "${c}" is not SWITCHESxRULES@INTERVAL`);
        return { switches: Number(m[1]), rules: Number(m[2]), intervalS: Number(m[3]) };
      });
    } else throw new Error(`unknown argument ${v}`);
  }
  return a;
}

const OUT = BENCH_OUT;
const log = (s: string): void => console.log(s);

function table(rows: string[][]): void {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  for (const r of rows) console.log('| ' + r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join(' | ') + ' |');
}

function gridTable(results: CellResult[]): void {
  const rows = [['switches x rules @ interval', 'CPU % of one core', 'RSS peak MB', 'polls ok / due', 'skipped', 'failed', 'poll p50 ms', 'poll p99 ms', 'points/s', 'load avg']];
  rows.push(rows[0]!.map((h, c) => (c === 0 ? '---' : '---:')));
  for (const r of results) {
    rows.push([
      `${fmt(r.switches)} x ${fmt(r.rules)} @ ${r.intervalS} s`,
      r.cpuPct.toFixed(1),
      fmt(r.peakMb),
      `${fmt(r.pollsOk)} / ${fmt(r.pollsExpected)}`,
      fmt(r.pollsSkipped),
      fmt(r.pollsFailed),
      r.p50.toFixed(1),
      r.p99.toFixed(1),
      fmt(r.pointsPerS),
      `${r.loadBefore.toFixed(2)}`,
    ]);
  }
  table(rows);
}

function projection(results: CellResult[]): void {
  const target = 10_000;
  console.log(`\nProjection to ${fmt(target)} switches (linear in switches; one core = 100 %):`);
  for (const r of results) {
    const rounds = r.windowS / r.intervalS;
    const perSwitchRound = r.cpuS / (r.switches * rounds);
    const cpuPct = (100 * perSwitchRound * target) / r.intervalS;
    console.log(
      `- ${fmt(r.switches)} x ${fmt(r.rules)} @ ${r.intervalS} s: CPU per switch per round (${STAT_TYPES.length} stat types) = ` +
        `${r.cpuS.toFixed(2)} s / (${fmt(r.switches)} switches x ${rounds.toFixed(2)} rounds) = ${(perSwitchRound * 1000).toFixed(2)} ms; ` +
        `x ${fmt(target)} / ${r.intervalS} s = ${cpuPct.toFixed(0)} % of one core (${(cpuPct / 100).toFixed(2)} cores)`,
    );
  }
  // Memory per switch from two cells with the same rules per switch and different switch counts.
  const byRules = new Map<number, CellResult[]>();
  for (const r of results) byRules.set(r.rules, [...(byRules.get(r.rules) ?? []), r]);
  const pairs = [...byRules.values()].filter((l) => l.length >= 2);
  for (const list of pairs) {
    const [lo, hi] = [...list].sort((x, y) => x.switches - y.switches) as [CellResult, CellResult];
    const hiCell = list.reduce((m, r) => (r.switches > m.switches ? r : m));
    const perSwitch = (hiCell.peakMb - lo.peakMb) / (hiCell.switches - lo.switches);
    const base = lo.peakMb - perSwitch * lo.switches;
    console.log(
      `- memory at ${fmt(lo.rules)} rules per switch: (${fmt(hiCell.peakMb)} MB - ${fmt(lo.peakMb)} MB) / (${fmt(hiCell.switches)} - ${fmt(lo.switches)} switches) = ` +
        `${perSwitch.toFixed(3)} MB per switch, fixed part ${fmt(lo.peakMb)} - ${perSwitch.toFixed(3)} x ${fmt(lo.switches)} = ${fmt(base)} MB; ` +
        `${fmt(base)} + ${perSwitch.toFixed(3)} x ${fmt(target)} = ${fmt(base + perSwitch * target)} MB`,
    );
    for (const other of results.filter((r) => r.rules !== lo.rules)) {
      const ps = (other.peakMb - base) / other.switches;
      console.log(
        `- memory at ${fmt(other.rules)} rules per switch: (${fmt(other.peakMb)} - ${fmt(base)} MB) / ${fmt(other.switches)} = ${ps.toFixed(2)} MB per switch; ` +
          `x ${fmt(target)} = ${fmt(base + ps * target)} MB`,
      );
    }
  }
  if (pairs.length === 0) console.log('- memory: needs two cells with the same rules per switch');
}

function median(xs: number[]): number {
  const v = [...xs].sort((x, y) => x - y);
  return v.length === 0 ? NaN : v.length % 2 === 1 ? v[v.length >> 1]! : (v[v.length / 2 - 1]! + v[v.length / 2]!) / 2;
}

function e2eReport(e: E2eResult): void {
  const best = e.steady.reduce((m, c) => (c.cpuS < m.cpuS ? c : m), e.steady[0] ?? e.first);
  const med = [...e.steady].sort((x, y) => x.cpuS - y.cpuS)[Math.floor(e.steady.length / 2)] ?? e.first;
  const ofctl = [...e.ofctl].sort((x, y) => x.wallS - y.wallS)[1] ?? e.ofctl[0]!;
  const s = (x: number): string => x.toFixed(3);
  console.log(`\nEnd to end, ${fmt(e.rules)} rules in a real Open vSwitch (load average ${e.load.toFixed(2)}); one full FLOW poll, in process through ofstats' pipeline:`);
  const rows = [['', 'CPU s', 'of it main thread', 'wall s', 'ovs-vswitchd CPU s', 'entries', 'points']];
  rows.push(['---', '---:', '---:', '---:', '---:', '---:', '---:']);
  const row = (name: string, c: E2eResult['first']): void => {
    rows.push([name, s(c.cpuS), s(c.mainCpuS), s(c.wallS), s(c.ovsCpuS), fmt(c.entries), fmt(c.points)]);
  };
  row('ofstats, first poll (builds tags)', e.first);
  e.steady.forEach((c, i) => row(`ofstats, poll ${i + 2}`, c));
  for (const [i, o] of e.ofctl.entries()) rows.push([`ovs-ofctl dump-flows #${i + 1} (own CPU)`, s(o.cpuS), '', s(o.wallS), s(o.ovsCpuS), fmt(o.entries), '']);
  table(rows);
  console.log(`points from the poll's lean FLOW entries equal those from the full decoder's: ${e.sameAsFullDecode}`);
  // OVS's CPU comes in 10 ms ticks: its own median, not the figure of ofstats' median poll.
  const ovsMed = median(e.steady.map((c) => c.ovsCpuS));
  const sum = (f: (c: PollCost) => number): number => e.steady.reduce((n, c) => n + f(c), 0);
  const meanRatio = sum((c) => c.cpuS) / sum((c) => c.ovsCpuS);
  console.log(
    `steady poll (median of ${e.steady.length}): ofstats ${s(med.cpuS)} s CPU (mapping to points ${s(med.metricsS)} s, line protocol ${s(med.formatS)} s, ` +
      `the rest, ${s(med.cpuS - med.metricsS - med.formatS)} s, socket + decode + scheduling) vs ovs-vswitchd ${s(ovsMed)} s (median): ` +
      `ratio ofstats / OVS = ${(med.cpuS / ovsMed).toFixed(2)} (target < 0.5: ${med.cpuS < 0.5 * ovsMed ? 'met' : 'NOT met'}); best ${s(best.cpuS)} s`,
  );
  console.log(
    `all ${e.steady.length} polls after the first, summed (the first poll's garbage is collected during them): ofstats ${s(sum((c) => c.cpuS))} s ` +
      `vs ovs-vswitchd ${s(sum((c) => c.ovsCpuS))} s: ratio ${meanRatio.toFixed(2)}`,
  );
  console.log(
    `ovs-ofctl dump-flows (median of 3): ${s(ofctl.wallS)} s wall, ${s(ofctl.cpuS)} s own CPU; ofstats steady poll / ovs-ofctl: ` +
      `CPU ${(med.cpuS / ofctl.cpuS).toFixed(2)}, wall ${(med.wallS / ofctl.wallS).toFixed(2)}; first poll / ovs-ofctl CPU ${(e.first.cpuS / ofctl.cpuS).toFixed(2)}`,
  );
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  mkdirSync(OUT, { recursive: true });
  console.log(`machine: ${machine()}; load average ${loadText()}${args.nodeFlags.length ? `; ofstats run with node ${args.nodeFlags.join(' ')}` : ''}; replayed counters ${args.advance ? 'advancing' : 'static'}`);
  if (load1() > 1.5) console.log('WARNING: load average above 1.5: another job is running; figures will be pessimistic');
  const intervals = args.intervals ?? (args.quick ? 1 : 3);

  if (args.only !== 'e2e') {
    const results: CellResult[] = [];
    for (const cell of args.cells) {
      const capture = await scaleCapture(OUT, cell.rules, log);
      const nodeFlags = [...args.nodeFlags, ...(args.profile ? ['--cpu-prof', '--cpu-prof-dir', join(OUT, 'profiles'), '--cpu-prof-name', `scale-${cell.switches}x${cell.rules}.cpuprofile`] : [])];
      const r = await runCell(cell, { capture, outDir: OUT, intervals, nodeFlags, advance: args.advance, log });
      results.push(r);
      console.log(
        `  ${fmt(r.switches)}x${fmt(r.rules)}: ${r.cpuPct.toFixed(1)} % CPU (${r.cpuS.toFixed(1)} s in ${r.windowS.toFixed(0)} s), RSS ${fmt(r.rssMb)} MB (peak ${fmt(r.peakMb)}), ` +
          `polls ok ${fmt(r.pollsOk)}/${fmt(r.pollsExpected)} due, skipped ${r.pollsSkipped}, failed ${r.pollsFailed}, slowed ${r.pollsSlowed}, ` +
          `points dropped ${r.pointsDropped}, p50 ${r.p50.toFixed(1)} ms p99 ${r.p99.toFixed(1)} ms max ${r.maxMs.toFixed(0)} ms, ${fmt(r.pointsPerS)} points/s; ` +
          `replay process ${r.replayCpuPct.toFixed(0)} % CPU; load ${r.loadBefore.toFixed(2)} → ${r.loadAfter.toFixed(2)}`,
      );
      for (const w of r.warnings.slice(0, 5)) console.log(`    ofstats stderr: ${w.slice(0, 300)}`);
    }
    console.log(`\nGrid (${intervals} measured interval(s) per cell after one warm-up interval; every stat type (${STAT_TYPES.length}) at the interval; ` +
      'poll latency per poll from the scheduler (gate wait included), recorded by bench/scale-probe.ts):');
    gridTable(results);
    const k = results.find((r) => r.switches === 1_000 && r.rules === 1_000);
    if (k) {
      const ok = k.pollsSkipped === 0 && k.pollsFailed === 0 && k.cpuPct < 15 && k.peakMb < 1024;
      console.log(`target 1,000 x 1,000 @ ${k.intervalS} s: no skipped poll (${k.pollsSkipped}), < 15 % of one core (${k.cpuPct.toFixed(1)}), ` +
        `< 1 GB RSS (${fmt(k.peakMb)} MB): ${ok ? 'met' : 'NOT met'}`);
    }
    projection(results);
  }
  if (args.only !== 'grid') {
    const profile = args.profile ? join(OUT, 'profiles', `e2e-${args.e2eRules}.cpuprofile`) : undefined;
    if (profile) mkdirSync(dirname(profile), { recursive: true });
    const e = await runE2e(args.e2eRules, OUT, 8, log, profile);
    e2eReport(e);
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
