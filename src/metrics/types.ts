/** One data point, as every sink receives it. */
export interface Point {
  /** Full metric name, prefix included (`switch.rx-bytes`, `kilda.flow.raw.bits`). */
  metric: string;
  tags: Readonly<Record<string, string>>;
  /** Counters are unsigned 64-bit on the wire: never rounded through number. */
  value: bigint;
  /** ms since the epoch: when the reply arrived. */
  timestamp: number;
}

export interface MetricsOptions {
  /**
   * Put before every metric name with a dot (`kilda` → `kilda.switch.rx-bytes`). Empty by
   * default: names are then exactly those of OpenKilda's docs without `<prefix>.`.
   */
  prefix: string;
}

export function metricName(opts: MetricsOptions, name: string): string {
  if (!opts.prefix) return name;
  return opts.prefix.endsWith('.') ? opts.prefix + name : `${opts.prefix}.${name}`;
}
