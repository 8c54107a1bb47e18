/**
 * `ofstats replay CAPTURE`: simulated OpenFlow 1.3 switches answering from a capture. With
 * --listen, stdout gets the targets as a config snippet (`ofstats run -c` reads it), one line
 * per switch; logs go to stderr. Runs until SIGINT/SIGTERM. Bad flags exit 2, an unreadable
 * capture or one without any switch reply exits 1.
 */
import { writeSync } from 'node:fs';
import type { Command } from 'commander';
import { CaptureError } from '../capture/errors.js';
import { createLogger } from '../log.js';
import { Fleet, parseAttach, type Attach } from '../replay/fleet.js';
import { loadRecordingFile } from '../replay/load.js';
import type { Recording } from '../replay/recording.js';

const EXIT_FAILED = 1;
const EXIT_USAGE = 2;

interface ReplayFlags {
  listen?: string;
  connect?: string;
  switches: string;
  dpidBase?: string;
  advance?: boolean;
  rate: string;
  echoInterval: string;
  logLevel: string;
}

export function register(program: Command): Command {
  const cmd = program
    .command('replay')
    .description('simulate OpenFlow 1.3 switches that answer with the replies recorded in a capture')
    .argument('<capture>', 'pcap / pcapng capture of a controller talking to a switch, or raw OpenFlow bytes of a switch\'s replies')
    .option('-l, --listen <[host:]port>', 'listen for controllers; switch i listens on port + i (port 0: any free ports)')
    .option('-C, --connect <target>', 'dial a controller at tcp:HOST:PORT or unix:PATH, one connection per switch')
    .option('-n, --switches <n>', 'number of simulated switches', '1')
    .option('--dpid-base <n>', 'datapath id of switch 0 (decimal or 0x hex); switch i gets base + i (default: the recorded ids)')
    .option('--advance', 'counters grow with time, at the rates between two polls in the capture (else --rate)')
    .option('--rate <pps>', 'with --advance: packets per second per entry where the capture has one poll only', '1000')
    .option('--echo-interval <seconds>', 'how often each switch sends its own ECHO_REQUEST (0: never)', '60')
    .option('-L, --log-level <level>', 'fatal, error, warn, info, debug, trace or silent', 'info')
    .action(async (capture: string, flags: ReplayFlags) => {
      process.exitCode = await replayCommand(capture, flags);
    });
  cmd.exitOverride((err) => process.exit(err.exitCode === 0 ? 0 : EXIT_USAGE));
  return cmd;
}

function usage(msg: string): number {
  process.stderr.write(`ofstats replay: ${msg}\n`);
  return EXIT_USAGE;
}

function parseCount(text: string, min: number): number | undefined {
  if (!/^\d+$/.test(text)) return undefined;
  const n = Number(text);
  return Number.isSafeInteger(n) && n >= min ? n : undefined;
}

export async function replayCommand(capture: string, flags: ReplayFlags): Promise<number> {
  const switches = parseCount(flags.switches, 1);
  if (switches === undefined) return usage(`--switches must be a positive integer (got "${flags.switches}")`);
  const rate = parseCount(flags.rate, 0);
  if (rate === undefined) return usage(`--rate must be a whole number of packets per second (got "${flags.rate}")`);
  const echo = Number(flags.echoInterval);
  if (!Number.isFinite(echo) || echo < 0) return usage(`--echo-interval must be seconds >= 0 (got "${flags.echoInterval}")`);
  let dpidBase: bigint | undefined;
  if (flags.dpidBase !== undefined) {
    if (!/^(0x[0-9a-f]{1,16}|\d{1,20})$/i.test(flags.dpidBase)) return usage(`--dpid-base must be a 64-bit number (got "${flags.dpidBase}")`);
    dpidBase = BigInt(flags.dpidBase);
  }
  let attach: Attach;
  try {
    attach = parseAttach(flags.listen, flags.connect, switches);
  } catch (e) {
    return usage((e as Error).message);
  }
  const levels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];
  if (!levels.includes(flags.logLevel)) return usage(`--log-level must be one of ${levels.join(', ')}`);
  const log = await createLogger(flags.logLevel);

  let recording: Recording;
  try {
    recording = loadRecordingFile(capture);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    const msg = e instanceof CaptureError ? e.message : err.code === 'ENOENT' ? 'no such file' : err.message;
    process.stderr.write(`ofstats replay: ${capture}: ${msg}\n`);
    return EXIT_FAILED;
  }
  for (const n of recording.notices) log.info({ capture }, n);
  if (recording.profiles.length === 0) {
    process.stderr.write(`ofstats replay: ${capture}: no OpenFlow 1.3 switch replies found\n`);
    return EXIT_FAILED;
  }

  let fleet: Fleet;
  try {
    fleet = new Fleet({
      recording, switches, dpidBase, attach,
      advance: flags.advance ? { defaultPps: BigInt(rate) } : undefined,
      echoIntervalMs: echo * 1000, log,
    });
    await fleet.start();
  } catch (e) {
    const msg = (e as Error).message;
    if (e instanceof RangeError) return usage(msg);
    process.stderr.write(`ofstats replay: ${msg}\n`);
    return EXIT_FAILED;
  }
  for (const p of recording.profiles) {
    log.info({
      dpid: p.dpid === undefined ? undefined : `0x${p.dpid.toString(16)}`, sessions: p.sessions,
      answers: p.answers.size, features: p.features !== undefined,
    }, 'recorded switch loaded');
  }
  if (flags.listen !== undefined) writeTargets(fleet);
  log.info({ switches, advance: Boolean(flags.advance), listen: flags.listen, connect: flags.connect }, 'replay running');

  await new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
  await fleet.stop();
  return 0;
}

/** The targets as a YAML config snippet on stdout, written synchronously so a redirect to a file is complete at once. */
function writeTargets(fleet: Fleet): void {
  const lines = ['# ofstats replay: switches to poll (ofstats run -c FILE)', 'connect:'];
  const targets = fleet.targets();
  for (const sw of fleet.switches) lines.push(`  - ${targets[sw.index]}   # dpid ${sw.switchId}`);
  writeSync(1, lines.join('\n') + '\n');
}
