/**
 * FLOW stats → `flow.raw.*` for flow rules and `switch.flow.system.*` for service rules
 * (cookie bit 63). Without a flow registry, flowid is `unknown`; everything else comes from
 * the entry and its cookie (../shared/reference/openkilda-stats.md §3).
 */
import { bits, field, pointsOf, type CounterSpec } from './counters.js';
import { cookieHex, cookieSigned, decodeCookie, TYPE_SERVER_42_FLOW_RTT_INGRESS, type CookieInfo } from './cookie.js';
import { metricName, type MetricsOptions, type Point } from './types.js';
import type { PollBatch } from '../scheduler/types.js';

interface Tlv { type: string | number; [k: string]: unknown }

/** The parts of ofp_flow_stats the metrics use, as the codec decodes them. */
export interface FlowStatsEntry {
  table_id: number;
  cookie: bigint;
  packet_count: bigint;
  byte_count: bigint;
  match?: { oxm_fields?: readonly { field?: unknown; value?: unknown }[] };
  instructions?: readonly Tlv[];
}

export const FLOW_COUNTERS: readonly CounterSpec<FlowStatsEntry>[] = [
  ['packets', field('packet_count')],
  ['bytes', field('byte_count')],
  ['bits', bits('byte_count')],
];

/** The match's in_port, 0 when the rule matches any port. */
export function inPortOf(e: FlowStatsEntry): number {
  const f = e.match?.oxm_fields?.find((x) => x.field === 'in_port');
  return typeof f?.value === 'number' ? f.value : 0;
}

/** The first output port of the rule's actions (apply before write), 0 when none. */
export function outPortOf(e: FlowStatsEntry): number {
  for (const kind of ['APPLY_ACTIONS', 'WRITE_ACTIONS']) {
    for (const ins of e.instructions ?? []) {
      if (ins.type !== kind || !Array.isArray(ins.actions)) continue;
      for (const a of ins.actions as Tlv[]) {
        if (a.type === 'OUTPUT' && typeof a.port === 'number') return a.port;
      }
    }
  }
  return 0;
}

/** The tags of `flow.raw.*` that the cookie alone gives, OpenKilda's rules. */
export function cookieTags(c: CookieInfo): Record<string, string> {
  const satellite = !c.validFlowSegment || c.typeCode !== 0 || c.loop || c.mirror;
  const tags: Record<string, string> = {
    direction: c.direction,
    type: c.typeName.toLowerCase(),
    is_flow_satellite: String(satellite),
  };
  if (satellite && c.validFlowSegment) {
    tags.is_mirror = String(c.mirror);
    tags.is_loop = String(c.loop);
    tags.is_flowrtt_inject = String(c.typeCode === TYPE_SERVER_42_FLOW_RTT_INGRESS);
  }
  return tags;
}

export function flowPoints(batch: PollBatch<FlowStatsEntry>, opts: MetricsOptions, out: Point[]): void {
  const raw = (s: string) => metricName(opts, `flow.raw.${s}`);
  const system = (s: string) => metricName(opts, `switch.flow.system.${s}`);
  for (const e of batch.entries) {
    const c = decodeCookie(e.cookie);
    if (c.service) {
      pointsOf(e, FLOW_COUNTERS, system, { switchid: batch.switchId, cookieHex: cookieHex(e.cookie) }, batch.arrivedAt, out);
      continue;
    }
    const tags = {
      flowid: 'unknown',
      switchid: batch.switchId,
      cookie: cookieSigned(e.cookie),
      tableid: String(e.table_id),
      inPort: String(inPortOf(e)),
      outPort: String(outPortOf(e)),
      ...cookieTags(c),
    };
    pointsOf(e, FLOW_COUNTERS, raw, tags, batch.arrivedAt, out);
  }
}
