/**
 * The FlowRegistry the metrics layer reads: nested Maps, switch then cookie / meter / group,
 * so each lookup is two hash probes. Immutable once built: a reload builds a new one and
 * swaps it (live.ts), so answers for one batch never mix two versions.
 */
import { normaliseSwitchId, CANONICAL_SWITCH_ID } from './switch-id.js';
import type { FlowRegistry, GroupInfo, MeterInfo, RuleInfo } from './types.js';

export interface RegistrySummary {
  flows: number;
  yFlows: number;
  haFlows: number;
  switches: number;
  rules: number;
  meters: number;
  groups: number;
}

export class MapRegistry implements FlowRegistry {
  constructor(
    private readonly rules: ReadonlyMap<string, ReadonlyMap<bigint, RuleInfo>>,
    private readonly meters: ReadonlyMap<string, ReadonlyMap<number, MeterInfo>>,
    private readonly groups: ReadonlyMap<string, ReadonlyMap<number, GroupInfo>>,
    readonly summary: RegistrySummary,
  ) {}

  /** Immutable: its answers never change. */
  version(): unknown {
    return this;
  }

  rule(switchId: string, cookie: bigint): RuleInfo | undefined {
    return this.on(this.rules, switchId)?.get(BigInt.asUintN(64, cookie));
  }

  meter(switchId: string, meterId: number): MeterInfo | undefined {
    return this.on(this.meters, switchId)?.get(meterId);
  }

  group(switchId: string, groupId: number): GroupInfo | undefined {
    return this.on(this.groups, switchId)?.get(groupId);
  }

  /** Callers pass `SW` + 16 upper-case hex digits; any other spelling is normalised first. */
  private on<T>(m: ReadonlyMap<string, T>, switchId: string): T | undefined {
    const hit = m.get(switchId);
    if (hit !== undefined || CANONICAL_SWITCH_ID.test(switchId)) return hit;
    const n = normaliseSwitchId(switchId);
    return n === undefined ? undefined : m.get(n);
  }
}
