/**
 * FLOW stats → rule metrics (../shared/reference/openkilda-stats.md §3, tags exactly as
 * ../shared/seeds/002_544d5299114fc53f.txt lists them per metric):
 * - service rules (cookie bit 63): `switch.flow.system.*`;
 * - every other rule: `flow.raw.*` (plain and Y-flow rules, and rules the registry does not
 *   know: flowid `unknown`) or `haflow.raw.*` (HA-flow rules);
 * - endpoint metrics from the registry's position of this switch, only for valid type-0 flow
 *   cookies that are no satellite (loop, mirror, server42): ingress → `flow.ingress.*` /
 *   `haflow.ingress.*`, egress → `flow.*` / `haflow.*` (a one-switch flow is both), Y point →
 *   `yflow.ypoint.*` / `haflow.ypoint.*` (OpenKilda defines the Y-flow one but never feeds it),
 *   transit → raw only.
 */
import type { FlowRegistry, PathPosition, RuleInfo } from '../registry/types.js';
import type { FlowStatsColumns } from '../../protocol/fast/flow-stats-columns.js';
import { field, packetsBytesBits, type Counters } from './counters.js';
import { cookieHex, cookieSigned, decodeCookie, isServiceCookie, TYPE_SERVER_42_FLOW_RTT_INGRESS, type CookieInfo } from './cookie.js';
import type { Family, Key, Mapping } from './engine.js';
import type { Rows } from './rows.js';

interface Tlv { type: string | number; [k: string]: unknown }

/**
 * The parts of ofp_flow_stats the metrics use: the codec's full decoding (match, instructions)
 * or the lean scan's (in_port, out_port already picked out).
 */
export interface FlowStatsEntry {
  table_id: number;
  cookie: bigint;
  packet_count: bigint;
  byte_count: bigint;
  match?: { oxm_fields?: readonly { field?: unknown; value?: unknown }[] };
  instructions?: readonly Tlv[];
  in_port?: number | undefined;
  out_port?: number | undefined;
}

export const FLOW_COUNTERS: Counters<FlowStatsEntry> = packetsBytesBits(field('packet_count'), field('byte_count'));

/**
 * The lean scan's columns are rows as they are (no copy): key = cookie, discriminators =
 * table, in port, out port (0 when none, as inPortOf/outPortOf say), sources in FLOW_COUNTERS'
 * order (packets, bytes).
 */
export function flowRows(c: FlowStatsColumns): Rows {
  return {
    length: c.length, keyHi: c.cookieHi, keyLo: c.cookieLo, d0: c.tableId, d1: c.inPort, d2: c.outPort,
    hi: [c.packetsHi, c.bytesHi], lo: [c.packetsLo, c.bytesLo],
  };
}

/** The match's in_port, 0 when the rule matches any port. */
export function inPortOf(e: FlowStatsEntry): number {
  if (typeof e.in_port === 'number') return e.in_port;
  const fields = e.match?.oxm_fields;
  if (fields === undefined) return 0;
  for (const f of fields) {
    if (f.field === 'in_port') return typeof f.value === 'number' ? f.value : 0;
  }
  return 0;
}

const ACTION_INSTRUCTIONS = ['APPLY_ACTIONS', 'WRITE_ACTIONS'] as const;

/** The first output port of the rule's actions (apply before write), 0 when none. */
export function outPortOf(e: FlowStatsEntry): number {
  if (typeof e.out_port === 'number') return e.out_port;
  const instructions = e.instructions;
  if (instructions === undefined) return 0;
  for (const kind of ACTION_INSTRUCTIONS) {
    for (const ins of instructions) {
      if (ins.type !== kind || !Array.isArray(ins.actions)) continue;
      for (const a of ins.actions as Tlv[]) {
        if (a.type === 'OUTPUT' && typeof a.port === 'number') return a.port;
      }
    }
  }
  return 0;
}

/** OpenKilda's satellite rule: not a plain flow segment (loop, mirror, other types, invalid). */
export function isSatellite(c: CookieInfo): boolean {
  return !c.validFlowSegment || c.typeCode !== 0 || c.loop || c.mirror;
}

/** type, is_flow_satellite, and for a satellite with a valid cookie is_mirror, is_loop, is_flowrtt_inject. */
export function satelliteTags(c: CookieInfo): Record<string, string> {
  const satellite = isSatellite(c);
  const tags: Record<string, string> = { type: c.typeName.toLowerCase(), is_flow_satellite: String(satellite) };
  if (satellite && c.validFlowSegment) {
    tags.is_mirror = String(c.mirror);
    tags.is_loop = String(c.loop);
    tags.is_flowrtt_inject = String(c.typeCode === TYPE_SERVER_42_FLOW_RTT_INGRESS);
  }
  return tags;
}


/**
 * Endpoint metrics count a flow's traffic once: only its main rule, never a satellite, nor an
 * HA sub-flow's server42 rule (bit 48), which would share the main rule's tags.
 */
function endpointRule(c: CookieInfo): boolean {
  return !isSatellite(c) && !c.haServer42;
}

export interface FlowCtx {
  switchId: string;
  cookie: bigint;
  c: CookieInfo;
  rule: RuleInfo | undefined;
  table: number;
  inPort: number;
  outPort: number;
}

const UNKNOWN = 'unknown';
/**
 * The registry's direction; on a miss, OpenKilda's: the direction bits of a valid flow segment
 * cookie, else `unknown` (the bits of an exclusion or shared cookie say nothing of a flow).
 */
const direction = (x: FlowCtx): string =>
  x.rule?.direction ?? (x.c.validFlowSegment && x.c.direction !== 'undefined' ? x.c.direction : UNKNOWN);
const isHa = (x: FlowCtx) => x.rule?.kind === 'haflow';

/** Tags shared by flow.raw and haflow.raw. */
const ruleTags = (x: FlowCtx): Record<string, string> => ({
  flowid: x.rule?.flowId ?? UNKNOWN,
  direction: direction(x),
  switchid: x.switchId,
  cookie: cookieSigned(x.cookie),
  tableid: String(x.table),
  inPort: String(x.inPort),
  outPort: String(x.outPort),
});

const flowEndpointTags = (x: FlowCtx): Record<string, string> => {
  const ySub = x.rule?.kind === 'yflow';
  const tags: Record<string, string> = { flowid: x.rule?.flowId ?? UNKNOWN, direction: direction(x), is_y_flow_subflow: String(ySub) };
  if (ySub) tags.y_flow_id = x.rule?.yFlowId ?? UNKNOWN;
  return tags;
};

const haEndpointTags = (x: FlowCtx): Record<string, string> => ({
  ha_flow_id: x.rule?.haFlowId ?? UNKNOWN,
  flowid: x.rule?.flowId ?? UNKNOWN,
  direction: direction(x),
});

/** The endpoint predicate: a known rule of one of these kinds, at this position of its path. */
function at(kinds: readonly RuleInfo['kind'][], position: PathPosition): (x: FlowCtx) => boolean {
  return (x) => x.rule !== undefined && kinds.includes(x.rule.kind) && x.rule.positions.has(position) && endpointRule(x.c);
}

const FLOW_KINDS = ['flow', 'yflow'] as const;
const HA_KINDS = ['haflow'] as const;

// Tags are merged with Object.assign, not `{ ...a, ...b }`: V8 gives every object built by such a
// spread its own hidden class, ~0.5 KB per remembered rule (a heap snapshot at 20,000 rules).
export const FLOW_FAMILIES: readonly Family<FlowCtx>[] = [
  { base: 'switch.flow.system', when: (x) => x.c.service, tags: (x) => ({ switchid: x.switchId, cookieHex: cookieHex(x.cookie) }) },
  { base: 'flow.raw', when: (x) => !x.c.service && !isHa(x), tags: (x) => Object.assign(ruleTags(x), satelliteTags(x.c)) },
  {
    base: 'haflow.raw',
    when: (x) => !x.c.service && isHa(x),
    tags: (x) => Object.assign({ ha_flow_id: x.rule?.haFlowId ?? UNKNOWN }, ruleTags(x)),
  },
  { base: 'flow.ingress', oncePerKey: true, when: at(FLOW_KINDS, 'ingress'), tags: flowEndpointTags },
  { base: 'flow', oncePerKey: true, when: at(FLOW_KINDS, 'egress'), tags: flowEndpointTags },
  { base: 'yflow.ypoint', oncePerKey: true, when: at(['yflow'], 'ypoint'), tags: flowEndpointTags },
  { base: 'haflow.ingress', oncePerKey: true, when: at(HA_KINDS, 'ingress'), tags: haEndpointTags },
  { base: 'haflow', oncePerKey: true, when: at(HA_KINDS, 'egress'), tags: haEndpointTags },
  { base: 'haflow.ypoint', oncePerKey: true, when: at(HA_KINDS, 'ypoint'), tags: haEndpointTags },
];

export const FLOW_MAPPING: Mapping<FlowStatsEntry, CookieInfo, RuleInfo, FlowCtx> = {
  counters: FLOW_COUNTERS,
  families: FLOW_FAMILIES,
  wideKey: true,
  key: (e) => e.cookie,
  discriminate: (e, d) => {
    d[0] = e.table_id;
    d[1] = inPortOf(e);
    d[2] = outPortOf(e);
  },
  decode: (key: Key) => decodeCookie(key as bigint),
  lookup: (registry: FlowRegistry, switchId, key) => (isServiceCookie(key as bigint) ? undefined : registry.rule(switchId, key as bigint)),
  context: (switchId, key, c, rule, d) => ({
    switchId, cookie: key as bigint, c, rule, table: d[0]!, inPort: d[1]!, outPort: d[2]!,
  }),
};
