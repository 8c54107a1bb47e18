/**
 * Polls every connected switch's statistics on its own schedule, gently: a global cap (the
 * gate), the first poll of each switch spread over its interval, one poll per switch and
 * stat type at a time, slow switches slowed down further, unsupported stat types dropped.
 */
import type { RequestFailure, SwitchHandle } from '../connection/types.js';
import { realClock, type Clock } from './clock.js';
import type { Gate } from './gate.js';
import { requestBody } from './requests.js';
import { STAT_TYPES, type IntervalsMs, type PollBatch, type StatType } from './types.js';

/** The subset of pino's API the scheduler logs with. */
export interface Log {
  debug(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

export interface SchedulerOptions {
  gate: Gate;
  /** Intervals (ms) for this switch; a stat type left out is not polled on it. */
  intervalsFor(sw: SwitchHandle): IntervalsMs;
  onBatch(batch: PollBatch): void;
  log: Log;
  clock?: Clock;
  /** In [0, 1): where in its interval a switch's first poll lands. */
  random?: () => number;
  /** Per-request timeout handed to the connection layer. */
  requestTimeoutMs?: number;
  /** A slowed switch's interval grows to at most this multiple of the configured one. */
  maxSlowdown?: number;
}

/** Counters since start; what the self metrics report. Fixed size whatever the switch count. */
export interface SchedulerStats {
  pollsOk: number;
  pollsFailed: number;
  pollsSkipped: number;
  pollsSlowed: number;
  pollsUnsupported: number;
  pollDurationMsSum: number;
  pollDurationMsMax: number;
}

export type PollOutcome =
  | { statType: StatType; ok: true; durationMs: number; entries: number }
  | { statType: StatType; ok: false; unsupported: boolean; error: string };

interface Task {
  sw: SwitchEntry;
  type: StatType;
  /** The configured interval. */
  base: number;
  /** The interval in force: base, or a multiple of it while the switch is slowed. */
  current: number;
  due: number;
  timer: unknown;
  running: boolean;
  /** Whether the last poll failed: only the first failure of a streak is a warning. */
  failing: boolean;
}

interface SwitchEntry {
  handle: SwitchHandle;
  tasks: Map<StatType, Task>;
}

export class Scheduler {
  readonly stats: SchedulerStats = {
    pollsOk: 0, pollsFailed: 0, pollsSkipped: 0, pollsSlowed: 0, pollsUnsupported: 0,
    pollDurationMsSum: 0, pollDurationMsMax: 0,
  };
  private readonly switches = new Map<string, SwitchEntry>();
  private readonly running = new Set<Promise<unknown>>();
  private readonly clock: Clock;
  private readonly random: () => number;
  private readonly timeoutMs: number;
  private readonly maxSlowdown: number;
  private stopped = false;

  constructor(private readonly opts: SchedulerOptions) {
    this.clock = opts.clock ?? realClock;
    this.random = opts.random ?? Math.random;
    this.timeoutMs = opts.requestTimeoutMs ?? 10_000;
    this.maxSlowdown = opts.maxSlowdown ?? 32;
  }

  /** Polls started and not yet finished. */
  get inFlight(): number {
    return this.running.size;
  }

  get switchCount(): number {
    return this.switches.size;
  }

  /** The interval (ms) now in force for one switch and stat type; undefined if not polled. */
  intervalOf(switchId: string, type: StatType): number | undefined {
    const t = this.switches.get(switchId)?.tasks.get(type);
    return t ? t.current : undefined;
  }

  /** Start polling a switch; a second handle for the same datapath replaces the first. */
  addSwitch(handle: SwitchHandle): void {
    if (this.stopped) return;
    this.removeSwitch(handle.switchId);
    const sw: SwitchEntry = { handle, tasks: new Map() };
    const intervals = this.opts.intervalsFor(handle);
    const now = this.clock.now();
    for (const type of STAT_TYPES) {
      const base = intervals[type];
      if (base === undefined || !(base > 0)) continue;
      // Spread: a restart with many switches must not send every first poll at once.
      const first = now + Math.floor(this.random() * base);
      const task: Task = { sw, type, base, current: base, due: first, timer: undefined, running: false, failing: false };
      sw.tasks.set(type, task);
      this.arm(task);
    }
    this.switches.set(handle.switchId, sw);
  }

  /** Stop polling a switch (it went away); a poll still running finishes on its own. */
  removeSwitch(switchId: string, handle?: SwitchHandle): void {
    const sw = this.switches.get(switchId);
    if (!sw || (handle && sw.handle !== handle)) return;
    for (const t of sw.tasks.values()) this.clock.clearTimeout(t.timer);
    this.switches.delete(switchId);
  }

  /** Stop scheduling: no poll starts after this, and queued ones are dropped. */
  stop(): void {
    this.stopped = true;
    for (const id of [...this.switches.keys()]) this.removeSwitch(id);
    this.opts.gate.clear();
  }

  /** Wait for running polls to finish, at most graceMs; resolves true if they all did. */
  async drain(graceMs: number): Promise<boolean> {
    if (this.running.size === 0) return true;
    let timer: unknown;
    const timedOut = new Promise<false>((resolve) => {
      timer = this.clock.setTimeout(() => resolve(false), graceMs);
    });
    const all = Promise.allSettled([...this.running]).then(() => true as const);
    const done = await Promise.race([all, timedOut]);
    this.clock.clearTimeout(timer);
    return done;
  }

  /** Poll the given stat types once on one switch, now (through the gate): `ofstats run --once`. */
  async pollOnce(handle: SwitchHandle, types: readonly StatType[]): Promise<PollOutcome[]> {
    return Promise.all(types.map((type) => this.poll(handle, type)));
  }

  private arm(task: Task): void {
    const delay = Math.max(0, task.due - this.clock.now());
    task.timer = this.clock.setTimeout(() => this.tick(task), delay);
  }

  private tick(task: Task): void {
    if (this.stopped || this.switches.get(task.sw.handle.switchId) !== task.sw) return;
    const now = this.clock.now();
    // Keep a fixed cadence; after a stall (event loop blocked, laptop asleep) start afresh.
    task.due += task.current;
    if (task.due <= now) task.due = now + task.current;
    this.arm(task);
    if (task.running) {
      this.stats.pollsSkipped++;
      this.opts.log.debug({ switchId: task.sw.handle.switchId, statType: task.type }, 'previous poll still running: turn skipped');
      return;
    }
    task.running = true;
    void this.poll(task.sw.handle, task.type, task).finally(() => {
      task.running = false;
    });
  }

  /** One request, through the gate, counted; emits its batch. Never rejects. */
  private poll(handle: SwitchHandle, type: StatType, task?: Task): Promise<PollOutcome> {
    const started = this.clock.now();
    const p = this.opts.gate
      // FLOW replies need only counters, cookie, table and ports: the lean scan, not the full decoder.
      .add(() => handle.multipart(type, requestBody(type), { timeoutMs: this.timeoutMs, lean: type === 'FLOW' }))
      .then(
        (res): PollOutcome => {
          const durationMs = this.clock.now() - started;
          this.stats.pollsOk++;
          this.recordDuration(durationMs);
          if (task) {
            if (task.failing) this.opts.log.info({ switchId: handle.switchId, statType: type }, 'polling works again');
            task.failing = false;
            this.adapt(task, durationMs);
          }
          const batch: PollBatch = {
            switchId: handle.switchId,
            dpid: handle.dpid,
            statType: type,
            arrivedAt: res.arrivedAt,
            entries: res.entries,
            ports: portNames(handle),
          };
          if (res.flows !== undefined) batch.flows = res.flows;
          this.opts.onBatch(batch);
          return { statType: type, ok: true, durationMs, entries: res.flows?.length ?? res.entries.length };
        },
        (err: unknown): PollOutcome => this.failed(handle, type, task, err, this.clock.now() - started),
      );
    this.running.add(p);
    void p.finally(() => this.running.delete(p));
    return p;
  }

  private failed(handle: SwitchHandle, type: StatType, task: Task | undefined, err: unknown, durationMs: number): PollOutcome {
    const f = err as Partial<RequestFailure>;
    const message = err instanceof Error ? err.message : String(err);
    const ctx = { switchId: handle.switchId, statType: type, kind: f.kind, errorType: f.errorType, errorCode: f.errorCode };
    if (f.kind === 'error-reply' && f.errorType === 'BAD_REQUEST') {
      // The switch does not do this stat type: asking again every interval only costs it CPU.
      this.stats.pollsUnsupported++;
      if (task) {
        this.clock.clearTimeout(task.timer);
        task.sw.tasks.delete(type);
      }
      this.opts.log.info(ctx, `switch does not support ${type} stats: no longer polled on this switch`);
      return { statType: type, ok: false, unsupported: true, error: message };
    }
    this.stats.pollsFailed++;
    if (task) {
      // A timeout is the slowest poll of all; it counts towards slowing the switch down.
      if (f.kind === 'timeout') this.adapt(task, durationMs);
      const level = task.failing ? 'debug' : 'warn';
      task.failing = true;
      this.opts.log[level]({ ...ctx, err: message }, 'poll failed');
    } else {
      this.opts.log.warn({ ...ctx, err: message }, 'poll failed');
    }
    return { statType: type, ok: false, unsupported: false, error: message };
  }

  private recordDuration(ms: number): void {
    this.stats.pollDurationMsSum += ms;
    if (ms > this.stats.pollDurationMsMax) this.stats.pollDurationMsMax = ms;
  }

  /**
   * OpenDaylight's rule: a poll that took longer than the interval doubles the interval
   * (up to maxSlowdown times the configured one); one that fits in half of it halves the
   * interval back towards the configured one.
   */
  private adapt(task: Task, durationMs: number): void {
    const id = task.sw.handle.switchId;
    if (durationMs > task.current) {
      const next = Math.min(task.current * 2, task.base * this.maxSlowdown);
      if (next === task.current) return;
      task.current = next;
      this.stats.pollsSlowed++;
      this.opts.log.warn(
        { switchId: id, statType: task.type, durationMs, intervalMs: next, configuredMs: task.base },
        'switch answers slower than its interval: interval doubled',
      );
      this.reschedule(task);
    } else if (task.current > task.base && durationMs * 2 <= task.current) {
      task.current = Math.max(task.base, task.current / 2);
      this.opts.log.info(
        { switchId: id, statType: task.type, durationMs, intervalMs: task.current, configuredMs: task.base },
        task.current === task.base ? 'switch keeps up again: configured interval restored' : 'switch keeps up: interval halved',
      );
      this.reschedule(task);
    }
  }

  /** Next turn one (new) interval from now, not at the old cadence. */
  private reschedule(task: Task): void {
    if (this.switches.get(task.sw.handle.switchId) !== task.sw || !task.sw.tasks.has(task.type)) return;
    this.clock.clearTimeout(task.timer);
    task.due = this.clock.now() + task.current;
    this.arm(task);
  }
}

function portNames(h: SwitchHandle): ReadonlyMap<number, string> {
  const m = new Map<number, string>();
  for (const [no, p] of h.ports) m.set(no, p.name);
  return m;
}
