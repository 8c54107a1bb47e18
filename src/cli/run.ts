/**
 * `ofstats run`: attach to switches (listen and/or dial), poll them on the schedule, write
 * points to the sinks; or, with --once, poll every switch once and exit 0 (all ok) or 1.
 * A bad configuration exits 2 with a message and no stack trace.
 */
import { accessSync, constants } from 'node:fs';
import type { Command } from 'commander';
import { createSwitchManager, type SwitchHandle } from '../connection/index.js';
import { buildSettings, ConfigError, loadConfigFile, type Flags, type Settings } from '../config/index.js';
import { createLogger, type Logger } from '../log.js';
import { tuneHeapForPolling } from './heap.js';
import { batchToPointBatch, SeriesMemory } from '../metrics/index.js';
import { createGate, Scheduler, type PollOutcome, type StatType } from '../scheduler/index.js';
import { selfPoints } from '../self/metrics.js';
import { FanoutSink, StreamSink, writePoints, type Sink } from '../sinks/index.js';
import { InfluxSink } from '../sinks/influx.js';
import { FileRegistrySource, LiveRegistry } from '../registry/index.js';

export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_CONFIG = 2;

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** Register `run` on the top-level program (listed in src/cli/commands.ts). */
export function register(program: Command): Command {
  const cmd = program
    .command('run')
    .description('attach read-only to OpenFlow 1.3 switches and poll their statistics')
    .option('-c, --config <file>', 'YAML config file (see config/ofstats.example.yaml)')
    .option('-l, --listen <[host:]port>', 'listen for switches dialling in (repeatable; ssl:[host:]port for TLS)', collect)
    .option('-C, --connect <target>', 'dial a switch: tcp:HOST:PORT, ssl:HOST:PORT, unix:PATH (repeatable)', collect)
    .option('-i, --interval <seconds>', 'poll every stat type at this interval (default: port 10 s, others 30 s)')
    .option('-p, --metric-prefix <prefix>', 'prefix for every metric name (default: none)')
    .option('-o, --output <format>', 'stdout format: line (InfluxDB line protocol, ms timestamps), json, or none')
    .option('--influx <url>', 'also write to InfluxDB 1.x: http://[user:pass@]HOST:PORT/DATABASE (more in the config\'s influx section)')
    .option('--registry <file>', 'flow registry (YAML/JSON, see config/registry.example.yaml); re-read on change and on SIGHUP')
    .option('--once', 'poll every stat type once on every connected switch, print, exit 0 if all succeeded')
    .option('-w, --wait <seconds>', 'with --once: how long to wait for switches to connect (default 5)')
    .option('-L, --log-level <level>', 'fatal, error, warn, info, debug, trace or silent (default info)')
    .action(async (flags: Flags) => {
      tuneHeapForPolling();
      const code = await runCommand(flags);
      process.exitCode = code;
      // Sockets and timers are closed by now; exiting here also ends a hung peer's half-open socket.
      process.exit(code);
    });
  // A wrong flag is a configuration error like any other: exit 2 (commander prints the message).
  cmd.exitOverride((err) => {
    process.exit(err.exitCode === 0 ? 0 : EXIT_CONFIG);
  });
  return cmd;
}

/** Everything `ofstats run` does, returning the exit status. */
export async function runCommand(flags: Flags, io: { stdout?: NodeJS.WritableStream } = {}): Promise<number> {
  let settings: Settings;
  try {
    const file = flags.config !== undefined ? loadConfigFile(flags.config) : {};
    settings = buildSettings(file, flags);
    for (const [key, path] of Object.entries(settings.tls ?? {})) {
      try {
        accessSync(path, constants.R_OK);
      } catch (e) {
        throw new ConfigError(`config: tls.${key}: cannot read ${path} (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
      }
    }
  } catch (e) {
    return configFailure(e);
  }
  const log = await createLogger(settings.logLevel);
  // Loaded before anything is polled; only a reload may fail softly (keeping the last good one).
  const registry = settings.registry && new LiveRegistry(new FileRegistrySource(settings.registry.file), log);
  try {
    await registry?.start();
  } catch (e) {
    return configFailure(new ConfigError((e as Error).message));
  }
  const streamSinks = settings.sinks.map((s) => new StreamSink({
    format: s.format,
    stream: io.stdout as never,
    onError: (err) => log.error({ err: err.message }, 'stdout sink failed'),
  }));
  const influxSink = settings.influx ? new InfluxSink({ ...settings.influx, log: log.child({ sink: 'influx' }) }) : undefined;
  if (settings.influx) {
    const { url, database, retentionPolicy, precision } = settings.influx;
    log.info({ url, database, retentionPolicy, precision }, 'writing points to InfluxDB');
  }
  const allSinks = [...streamSinks, ...(influxSink ? [influxSink] : [])];
  const sink: Sink = new FanoutSink(allSinks, (name, err) => log.error({ sink: name, err: String(err) }, 'sink failed'));

  let manager;
  try {
    manager = createSwitchManager({
      listen: settings.listen,
      connect: settings.connect,
      tls: settings.tls,
      role: settings.role,
      roleFor: (dpid: bigint) => settings.roleFor(dpid),
      echoIntervalMs: settings.connection.echoIntervalMs,
      echoMisses: settings.connection.echoMisses,
      handshakeTimeoutMs: settings.connection.handshakeTimeoutMs,
      connectTimeoutMs: settings.connection.connectTimeoutMs,
      backoffMinMs: settings.connection.backoffMinMs,
      backoffMaxMs: settings.connection.backoffMaxMs,
      requestTimeoutMs: settings.limits.requestTimeoutMs,
      maxOutstanding: settings.limits.outstandingPerSwitch,
      maxQueued: settings.limits.queuedPerSwitch,
      maxConnections: settings.limits.maxConnections,
      logger: log,
    });
  } catch (e) {
    return configFailure(e);
  }

  const prefix = { prefix: settings.metricPrefix, memory: new SeriesMemory({ logger: log, maxEntries: settings.limits.maxSeries }), registry };
  let decodeErrors = 0;
  manager.on('decode-error', (info: { switchId?: string; peer: string; error: Error }) => {
    decodeErrors++;
    log.warn({ switchId: info.switchId, peer: info.peer, err: info.error.message }, 'undecodable message from switch');
  });
  const gate = createGate({ requestsPerSecond: settings.limits.requestsPerSecond, requestsInFlight: settings.limits.requestsInFlight });
  const scheduler = new Scheduler({
    gate,
    intervalsFor: (h) => settings.intervalsFor(h.dpid),
    onBatch: (b) => sink.write(batchToPointBatch(b, prefix)),
    log,
    requestTimeoutMs: settings.limits.requestTimeoutMs,
    maxSlowdown: settings.limits.maxSlowdown,
  });
  const writeSelf = () => writePoints(sink, selfPoints({
    switchesConnected: manager.switches().length,
    ...scheduler.stats,
    decodeErrors,
    requestsInFlight: gate.inFlight,
    requestsWaiting: gate.waiting,
    pointsDropped: allSinks.reduce((n, s) => n + s.dropped, 0),
    sinksDropped: Object.fromEntries(allSinks.map((s) => [s.name, s.dropped])),
    counterResets: prefix.memory.resets,
  }, prefix, Date.now()));

  try {
    await manager.start();
  } catch (e) {
    log.error({ err: (e as Error).message }, 'cannot start listeners');
    await manager.stop();
    return EXIT_FAILED;
  }
  log.info({ listen: manager.listeningPorts(), connect: settings.connect, once: settings.once }, 'ofstats running');

  if (settings.once) {
    const code = await once(settings, manager, scheduler, log);
    writeSelf();
    await sink.close();
    await stopWithin(manager, 2_000, log);
    return code;
  }

  manager.on('switch-up', (h: SwitchHandle) => {
    log.info({ switchId: h.switchId, peer: h.peer }, 'switch connected: polling');
    scheduler.addSwitch(h);
  });
  manager.on('switch-down', (h: SwitchHandle, reason: string) => {
    log.info({ switchId: h.switchId, peer: h.peer, reason }, 'switch disconnected');
    scheduler.removeSwitch(h.switchId, h);
    prefix.memory.forgetSwitch(h.switchId);
  });
  for (const h of manager.switches()) scheduler.addSwitch(h);
  const selfTimer = settings.selfMetricsIntervalMs > 0 ? setInterval(writeSelf, settings.selfMetricsIntervalMs) : undefined;
  const reloadRegistry = () => void registry?.reload();
  if (registry) process.on('SIGHUP', reloadRegistry);

  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    process.once('SIGINT', () => resolve('SIGINT'));
    process.once('SIGTERM', () => resolve('SIGTERM'));
  });
  // A second signal while shutting down means "now".
  const hard = () => process.exit(EXIT_FAILED);
  process.once('SIGINT', hard);
  process.once('SIGTERM', hard);
  log.info({ signal, graceMs: settings.shutdownGraceMs, inFlight: scheduler.inFlight }, 'stopping: letting running polls finish');
  clearInterval(selfTimer);
  process.off('SIGHUP', reloadRegistry);
  registry?.close();
  scheduler.stop();
  const drained = await scheduler.drain(settings.shutdownGraceMs);
  if (!drained) log.warn({ inFlight: scheduler.inFlight }, 'grace period over: polls still running are abandoned');
  writeSelf();
  await sink.close();
  await stopWithin(manager, 2_000, log);
  log.info({}, 'stopped');
  return EXIT_OK;
}

/** --once: wait for the switches, poll each stat type once on each, report. */
async function once(
  settings: Settings,
  manager: ReturnType<typeof createSwitchManager>,
  scheduler: Scheduler,
  log: Logger,
): Promise<number> {
  const deadline = Date.now() + settings.waitMs;
  // Dialled switches are known in number; listeners may get any number, so they get the whole wait.
  const enough = () => settings.listen.length === 0 && manager.switches().length >= settings.connect.length;
  while (!enough() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
  const switches = manager.switches();
  if (switches.length === 0) {
    log.error({ waitedMs: settings.waitMs }, 'no switch connected: nothing polled');
    return EXIT_FAILED;
  }
  let ok = switches.length >= settings.connect.length;
  if (!ok) log.error({ connected: switches.length, targets: settings.connect.length }, 'not every dialled switch connected');
  const results = await Promise.all(switches.map(async (h) => {
    const types = Object.keys(settings.intervalsFor(h.dpid)) as StatType[];
    return [h, await scheduler.pollOnce(h, types)] as const;
  }));
  for (const [h, outcomes] of results) {
    const failed = outcomes.filter((o): o is Extract<PollOutcome, { ok: false }> => !o.ok && !o.unsupported);
    if (failed.length > 0) ok = false;
    log.info({
      switchId: h.switchId,
      peer: h.peer,
      ok: outcomes.filter((o) => o.ok).map((o) => o.statType),
      unsupported: outcomes.filter((o) => !o.ok && o.unsupported).map((o) => o.statType),
      failed: failed.map((o) => `${o.statType}: ${o.error}`),
    }, 'polled once');
  }
  return ok ? EXIT_OK : EXIT_FAILED;
}

/**
 * Close listeners and connections, but never hang the exit on it: a listener's close waits
 * for its accepted connections, which a peer may keep open. process.exit ends what is left.
 */
async function stopWithin(manager: { stop(): Promise<void> }, ms: number, log: Logger): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<boolean>((resolve) => { timer = setTimeout(() => resolve(false), ms); });
  const done = await Promise.race([manager.stop().then(() => true), late]);
  clearTimeout(timer);
  if (!done) log.warn({ waitedMs: ms }, 'connections did not close in time: exiting anyway');
}

function configFailure(e: unknown): number {
  // Anything the operator can fix (file, flags, addresses) is reported as one plain message.
  const msg = e instanceof Error ? e.message : String(e);
  if (!(e instanceof ConfigError) && !(e instanceof RangeError) && (e as Error)?.name !== 'AddressError') {
    process.stderr.write(`ofstats run: ${msg}\n`);
    return EXIT_FAILED;
  }
  process.stderr.write(`ofstats run: ${msg}\n`);
  return EXIT_CONFIG;
}
