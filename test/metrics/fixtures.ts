/** Test helpers: a small in-memory FlowRegistry of the lookup contract, batches and entries. */
import type { FlowRegistry, GroupInfo, MeterInfo, PathPosition, RuleInfo } from '../../src/registry/types.js';
import type { PollBatch, StatType } from '../../src/scheduler/types.js';
import type { Point } from '../../src/metrics/index.js';

export class TestRegistry implements FlowRegistry {
  /** Keyed per switch, then by the cookie itself: a lookup builds no string. */
  readonly rules = new Map<string, Map<bigint, RuleInfo>>();
  readonly meters = new Map<string, MeterInfo>();
  readonly groups = new Map<string, GroupInfo>();
  lookups = 0;
  /** Bumped by every add: the metrics ask again after a change (FlowRegistry.version). */
  private changes = 0;

  version(): unknown {
    return this.changes;
  }

  addRule(switchId: string, cookie: bigint, info: Omit<RuleInfo, 'positions'> & { positions: PathPosition[] }): this {
    let bySwitch = this.rules.get(switchId);
    if (bySwitch === undefined) this.rules.set(switchId, (bySwitch = new Map()));
    bySwitch.set(cookie, { ...info, positions: new Set(info.positions) });
    this.changes++;
    return this;
  }
  addMeter(switchId: string, meterId: number, info: MeterInfo): this {
    this.meters.set(`${switchId}/${meterId}`, info);
    this.changes++;
    return this;
  }
  addGroup(switchId: string, groupId: number, info: GroupInfo): this {
    this.groups.set(`${switchId}/${groupId}`, info);
    this.changes++;
    return this;
  }
  rule(switchId: string, cookie: bigint): RuleInfo | undefined {
    this.lookups++;
    return this.rules.get(switchId)?.get(cookie);
  }
  meter(switchId: string, meterId: number): MeterInfo | undefined {
    return this.meters.get(`${switchId}/${meterId}`);
  }
  group(switchId: string, groupId: number): GroupInfo | undefined {
    return this.groups.get(`${switchId}/${groupId}`);
  }
}

export const T = 1_700_000_123_456;
export const ALL_ONES = 0xffff_ffff_ffff_ffffn;

export function batch(statType: StatType, entries: unknown[], switchId = 'SW00000000000000AB', arrivedAt = T): PollBatch {
  return { switchId, dpid: BigInt('0x' + switchId.slice(2)), statType, arrivedAt, entries, ports: new Map() };
}

/** A flow stats entry as the codec decodes it: in_port 1, output 2. */
export function flow(cookie: bigint, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    table_id: 0, duration_sec: 1, duration_nsec: 0, priority: 100, idle_timeout: 0, hard_timeout: 0, flags: 0,
    cookie, packet_count: 5n, byte_count: 300n,
    match: { type: 1, oxm_fields: [{ class: 'OPENFLOW_BASIC', field: 'in_port', value: 1 }] },
    instructions: [{ type: 'APPLY_ACTIONS', actions: [{ type: 'OUTPUT', port: 2, max_len: 0 }] }],
    ...extra,
  };
}

export function meter(meterId: number, bands: [bigint, bigint][], extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    meter_id: meterId, flow_count: 1, packet_in_count: 1000n, byte_in_count: 64000n, duration_sec: 1, duration_nsec: 0,
    band_stats: bands.map(([p, b]) => ({ packet_band_count: p, byte_band_count: b })), ...extra,
  };
}

export function group(groupId: number, buckets: [bigint, bigint][]): Record<string, unknown> {
  return {
    group_id: groupId, ref_count: 1, packet_count: 999n, byte_count: 99_999n, duration_sec: 1, duration_nsec: 0,
    bucket_stats: buckets.map(([p, b]) => ({ packet_count: p, byte_count: b })),
  };
}

/** Points grouped by metric family (name without the .packets/.bytes/.bits suffix). */
export function families(pts: readonly Point[]): Map<string, Point[]> {
  const m = new Map<string, Point[]>();
  for (const p of pts) {
    const fam = p.metric.replace(/\.(packets|bytes|bits)$/, '');
    m.set(fam, [...(m.get(fam) ?? []), p]);
  }
  return m;
}

/** The tag sets of one family, one per series (a family's three points share their tags). */
export function tagsOf(pts: readonly Point[], family: string): Record<string, string>[] {
  return pts.filter((p) => p.metric === `${family}.packets`).map((p) => ({ ...p.tags }));
}

/** The values of one family's series, as [metric, value] in output order. */
export function valuesOf(pts: readonly Point[], family: string): [string, bigint][] {
  const names = new Set(['packets', 'bytes', 'bits'].map((s) => `${family}.${s}`));
  return pts.filter((p) => names.has(p.metric)).map((p) => [p.metric, p.value]);
}
