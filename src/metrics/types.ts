import type { FlowRegistry } from '../registry/types.js';
import type { SeriesMemory } from './memory.js';

/** One data point, as every sink receives it. */
export interface Point {
  /** Full metric name, prefix included (`switch.rx-bytes`, `kilda.flow.raw.bits`). */
  metric: string;
  tags: Readonly<Record<string, string>>;
  /** Counters are unsigned 64-bit on the wire: never rounded through number. */
  value: bigint;
  /** ms since the epoch: when the reply arrived. */
  timestamp: number;
  /**
   * The tags as line protocol writes them (`,k=v,...`: sorted, escaped; formatTags), when the
   * producer already has it: the metrics engine keeps it with the remembered series, so the
   * sinks neither rebuild nor look it up per point. It must describe `tags`; absent, the
   * sinks build it from them.
   */
  tagText?: string;
}

export interface MetricsOptions {
  /**
   * Put before every metric name with a dot (`kilda` → `kilda.switch.rx-bytes`). Empty by
   * default: names are then exactly those of OpenKilda's docs without `<prefix>.`.
   */
  prefix: string;
  /** Which flow each rule, meter and group belongs to; EMPTY_REGISTRY (all `unknown`) if absent. */
  registry?: FlowRegistry;
  /**
   * What the previous polls reported, per series: counter resets are detected against it and
   * tag objects are reused from it. Without one, every batch is mapped from scratch and no
   * reset can be seen.
   */
  memory?: SeriesMemory;
}

export function metricName(opts: MetricsOptions, name: string): string {
  if (!opts.prefix) return name;
  return opts.prefix.endsWith('.') ? opts.prefix + name : `${opts.prefix}.${name}`;
}
