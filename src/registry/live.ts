/**
 * The registry ofstats runs with: answers from the last good load, swapped whole when a
 * reload succeeds. A failed reload (bad file, unreadable source) keeps the last good
 * registry and logs why. Swapping is one assignment between batches (a batch is mapped
 * synchronously), so the schedule never waits for a reload and no batch sees two versions.
 */
import { RegistryError } from './errors.js';
import type { RegistrySource } from './source.js';
import { EMPTY_REGISTRY, type FlowRegistry, type GroupInfo, type MeterInfo, type RuleInfo } from './types.js';

/** The slice of pino's Logger used here. */
export interface RegistryLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export class LiveRegistry implements FlowRegistry {
  /** The registry answering now; read it once per batch to pin one version. */
  current: FlowRegistry = EMPTY_REGISTRY;
  private running?: Promise<boolean>;
  private again = false;

  constructor(
    private readonly source: RegistrySource,
    private readonly log: RegistryLog,
  ) {}

  /** The first load: its failure is the caller's to report (there is no last good registry yet). */
  async start(): Promise<void> {
    const r = await this.source.load();
    this.current = r;
    this.log.info({ source: this.source.description, ...r.summary }, 'flow registry loaded');
    this.source.watch?.(
      () => void this.reload(),
      (err) => this.log.warn({ source: this.source.description, err: err.message }, 'cannot watch the flow registry: it is re-read only on SIGHUP'),
    );
  }

  /**
   * Re-read the source; true if the new registry is now in use. Calls during a reload share
   * it and one more reload follows, so the last change is never missed.
   */
  reload(): Promise<boolean> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = this.once().finally(() => {
      this.running = undefined;
      if (this.again) {
        this.again = false;
        void this.reload();
      }
    });
    return this.running;
  }

  /** The registry in use: a reload swaps it whole. */
  version(): unknown {
    return this.current.version?.() ?? this.current;
  }

  rule(switchId: string, cookie: bigint): RuleInfo | undefined {
    return this.current.rule(switchId, cookie);
  }

  meter(switchId: string, meterId: number): MeterInfo | undefined {
    return this.current.meter(switchId, meterId);
  }

  group(switchId: string, groupId: number): GroupInfo | undefined {
    return this.current.group(switchId, groupId);
  }

  close(): void {
    this.source.close();
  }

  private async once(): Promise<boolean> {
    try {
      const r = await this.source.load();
      this.current = r;
      this.log.info({ source: this.source.description, ...r.summary }, 'flow registry reloaded');
      return true;
    } catch (e) {
      const problems = e instanceof RegistryError ? e.problems : [(e as Error).message];
      this.log.error({ source: this.source.description, problems }, 'flow registry not reloaded: keeping the last good one');
      return false;
    }
  }
}
