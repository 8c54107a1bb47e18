/**
 * GROUP stats → `haflow.group.ypoint.*` for the group an HA-flow splits its traffic with at its
 * Y point (bucket 0's counters); no other group gives a metric, known or not.
 */
import type { GroupInfo } from '../registry/types.js';
import { counter, packetsBytesBits, type Counters } from './counters.js';
import type { Family, Mapping } from './engine.js';

/** ofp_group_stats as the codec decodes it (only what the metrics read). */
export interface GroupStatsEntry {
  group_id: number;
  bucket_stats?: readonly { packet_count: bigint; byte_count: bigint }[];
}

export const GROUP_COUNTERS: Counters<GroupStatsEntry> = packetsBytesBits(
  (e) => counter(e.bucket_stats?.[0]?.packet_count),
  (e) => counter(e.bucket_stats?.[0]?.byte_count),
);

export interface GroupCtx {
  switchId: string;
  groupId: number;
  group: GroupInfo | undefined;
}

export const GROUP_FAMILIES: readonly Family<GroupCtx>[] = [
  {
    base: 'haflow.group.ypoint',
    when: (x) => x.group?.kind === 'haflow-ypoint',
    tags: (x) => ({ switchid: x.switchId, groupid: String(x.groupId), ha_flow_id: x.group?.haFlowId ?? 'unknown' }),
  },
];

export const GROUP_MAPPING: Mapping<GroupStatsEntry, undefined, GroupInfo, GroupCtx> = {
  counters: GROUP_COUNTERS,
  families: GROUP_FAMILIES,
  key: (e) => e.group_id,
  lookup: (registry, switchId, key) => registry.group(switchId, key as number),
  context: (switchId, key, _info, group) => ({ switchId, groupId: key as number, group }),
};
